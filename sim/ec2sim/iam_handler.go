package ec2sim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// iamVersion is the IAM API version hawatch's SDK speaks.
const iamVersion = "2010-05-08"

// iamXMLNS is the namespace of every IAM reply, errors included.
const iamXMLNS = "https://iam.amazonaws.com/doc/" + iamVersion + "/"

// iamAction answers one IAM action from an IAM world.
type iamAction func(w *IAMWorld, r *request) (reply, *apiError)

var iamActions = map[string]iamAction{
	"GetInstanceProfile":      getInstanceProfile,
	"SimulatePrincipalPolicy": simulatePrincipalPolicy,
}

// isIAMAction reports whether the handler answers action as IAM.
func isIAMAction(action string) bool { return iamActions[action] != nil }

// serveIAM answers an IAM request whose form is parsed. IAM is a global
// service signed for us-east-1; actions are recorded as "iam:Name" so
// that they read as in an IAM policy.
func (h *Handler) serveIAM(r *http.Request, req *request, act iamAction) (reply, *apiError) {
	v := req.form.Get("Version")
	if v == "" {
		return nil, errMissingParameter("Version")
	}
	if v != iamVersion {
		return nil, &apiError{http.StatusBadRequest, "InvalidAction",
			"Could not find operation " + req.action + " for version " + v}
	}
	if scope := credentialScope(r.Header.Get("Authorization")); scope != "us-east-1/iam/aws4_request" {
		return nil, &apiError{http.StatusForbidden, "SignatureDoesNotMatch",
			"Credential should be scoped to a valid region and to service 'iam', not '" + scope + "'."}
	}
	h.record("iam:" + req.action)

	world := IAMWorld{}
	if b, ok := h.backend.(IAMBackend); ok {
		world = b.IAM()
	}
	if world.Faults.Throttle {
		return nil, &apiError{http.StatusBadRequest, "Throttling", "Rate exceeded"}
	}
	if slices.Contains(world.Faults.AccessDenied, req.action) {
		return nil, errIAMAccessDenied(req)
	}
	return act(&world, req)
}

// credentialScope returns the region/service/aws4_request part of a SigV4
// Authorization header's credential.
func credentialScope(auth string) string {
	_, cred, _ := strings.Cut(auth, "Credential=")
	cred, _, _ = strings.Cut(cred, ",")
	// AKID/date/region/service/aws4_request
	parts := strings.SplitN(cred, "/", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

func errIAMAccessDenied(r *request) *apiError {
	resource := r.form.Get("PolicySourceArn")
	if r.action == "GetInstanceProfile" {
		resource = InstanceProfile{Name: r.form.Get("InstanceProfileName")}.ARN()
	}
	return &apiError{http.StatusForbidden, "AccessDenied", "User: arn:aws:iam::" + ownerID +
		":user/hawatch is not authorized to perform: iam:" + r.action + " on resource: " + resource +
		" because no identity-based policy allows the iam:" + r.action + " action"}
}

func errIAMNoSuchEntity(message string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", message}
}

func errIAMValidation(member string) *apiError {
	return &apiError{http.StatusBadRequest, "ValidationError", "1 validation error detected: Value null at '" +
		member + "' failed to satisfy constraint: Member must not be null"}
}

func getInstanceProfile(w *IAMWorld, r *request) (reply, *apiError) {
	name := r.form.Get("InstanceProfileName")
	if name == "" {
		return nil, errIAMValidation("instanceProfileName")
	}
	p, ok := w.profile(name)
	if !ok {
		return nil, errIAMNoSuchEntity("Instance Profile " + name + " cannot be found.")
	}
	out := &getInstanceProfileResponse{}
	out.Result.InstanceProfile = iamProfileXML{
		Path: "/", InstanceProfileName: p.Name, InstanceProfileID: p.ID, Arn: p.ARN(), CreateDate: iamCreateDate,
	}
	if role, ok := w.role(p.Role); ok {
		out.Result.InstanceProfile.Roles.Members = []iamRoleXML{{
			Path: "/", RoleName: role.Name, RoleID: role.ID, Arn: role.ARN(), CreateDate: iamCreateDate,
			AssumeRolePolicyDocument: ec2TrustPolicy,
		}}
	}
	return out, nil
}

func simulatePrincipalPolicy(w *IAMWorld, r *request) (reply, *apiError) {
	source := r.form.Get("PolicySourceArn")
	if source == "" {
		return nil, errIAMValidation("policySourceArn")
	}
	actions := r.list("ActionNames.member")
	if len(actions) == 0 {
		return nil, errIAMValidation("actionNames")
	}
	name, ok := strings.CutPrefix(source, "arn:aws:iam::"+ownerID+":role/")
	if !ok {
		return nil, &apiError{http.StatusBadRequest, "InvalidInput", "Invalid ARN: " + source}
	}
	name = name[strings.LastIndex(name, "/")+1:]
	role, ok := w.role(name)
	if !ok {
		return nil, errIAMNoSuchEntity("The role with name " + name + " cannot be found.")
	}
	page, marker, err := iamPage(r, actions)
	if err != nil {
		return nil, err
	}
	out := &simulatePrincipalPolicyResponse{}
	for _, a := range page {
		out.Result.EvaluationResults.Members = append(out.Result.EvaluationResults.Members, evaluate(role, a))
	}
	out.Result.IsTruncated = marker != ""
	out.Result.Marker = marker
	return out, nil
}

// evaluate is the evaluation result of one action on any resource.
func evaluate(role Role, action string) iamEvaluationXML {
	e := iamEvaluationXML{EvalActionName: action, EvalResourceName: "*", EvalDecision: role.decide(action)}
	if e.EvalDecision != decisionImplicitDeny {
		e.MatchedStatements.Members = []iamStatementXML{{
			SourcePolicyID: role.Name + "-policy", SourcePolicyType: "role",
			StartPosition: iamPositionXML{Line: 1, Column: 1}, EndPosition: iamPositionXML{Line: 1, Column: 200},
		}}
	}
	return e
}

// iamPage pages the actions by MaxItems (1 to 1000, 100 by default) and
// Marker, as IAM does.
func iamPage(r *request, items []string) ([]string, string, *apiError) {
	start := 0
	if m := r.form.Get("Marker"); m != "" {
		n, ok := decodeToken(r.action, m)
		if !ok || n > len(items) {
			return nil, "", &apiError{http.StatusBadRequest, "InvalidInput", "Invalid Marker"}
		}
		start = n
	}
	size := 100
	if raw := r.form.Get("MaxItems"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 1000 {
			return nil, "", &apiError{http.StatusBadRequest, "ValidationError",
				"1 validation error detected: Value '" + raw + "' at 'maxItems' failed to satisfy constraint: " +
					"Member must have value between 1 and 1000"}
		}
		size = n
	}
	end := min(start+size, len(items))
	if end < len(items) {
		return items[start:end], encodeToken(r.action, end), nil
	}
	return items[start:end], "", nil
}

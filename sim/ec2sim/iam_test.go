package ec2sim

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
)

// iamBackend serves an empty EC2 world and an IAM world.
type iamBackend struct{ w IAMWorld }

func (iamBackend) World() World    { return World{} }
func (b iamBackend) IAM() IAMWorld { return b.w }
func noRetry(o *retry.StandardOptions) {
	o.MaxAttempts, o.Backoff, o.RateLimiter = 1, noBackoff{}, ratelimit.None
}

// startIAM serves w and returns a real SDK IAM client pointed at it.
func startIAM(t *testing.T, w IAMWorld, region string) (*iam.Client, *Handler, *httptest.Server) {
	t.Helper()
	h := NewHandler(&iamBackend{w: w}, nil)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := iam.New(iam.Options{
		Region:       region,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		HTTPClient:   srv.Client(),
		Retryer:      retry.NewStandard(noRetry),
	})
	return c, h, srv
}

func TestIAMGetInstanceProfile(t *testing.T) {
	c, h, _ := startIAM(t, VMSeriesIAM("i-a"), "us-east-1")
	out, err := c.GetInstanceProfile(context.Background(), &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("vmseries-ha")})
	if err != nil {
		t.Fatal(err)
	}
	p := out.InstanceProfile
	if aws.ToString(p.Arn) != "arn:aws:iam::123456789012:instance-profile/vmseries-ha" || aws.ToString(p.InstanceProfileName) != "vmseries-ha" ||
		p.CreateDate == nil || len(p.Roles) != 1 {
		t.Fatalf("profile %+v", p)
	}
	if r := p.Roles[0]; aws.ToString(r.Arn) != "arn:aws:iam::123456789012:role/vmseries-ha-role" || aws.ToString(r.RoleName) != "vmseries-ha-role" ||
		!strings.Contains(aws.ToString(r.AssumeRolePolicyDocument), "ec2.amazonaws.com") {
		t.Errorf("role %+v", r)
	}
	if got := h.Calls()["iam:GetInstanceProfile"]; got != 1 {
		t.Errorf("calls %v", h.Calls())
	}

	_, err = c.GetInstanceProfile(context.Background(), &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("gone")})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) || !strings.Contains(nse.ErrorMessage(), "gone") {
		t.Errorf("missing profile: %v", err)
	}
}

func TestIAMSimulatePrincipalPolicy(t *testing.T) {
	w := VMSeriesIAM()
	w.Roles[0].Allow = []string{"ec2:Describe*", "ec2:AttachNetworkInterface"}
	w.Roles[0].Deny = []string{"EC2:attachNetworkInterface"}
	c, _, _ := startIAM(t, w, "us-east-1")
	actions := []string{"ec2:DescribeInstances", "ec2:AttachNetworkInterface", "ec2:ReplaceRoute"}
	p := iam.NewSimulatePrincipalPolicyPaginator(c, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(w.Roles[0].ARN()), ActionNames: actions, MaxItems: aws.Int32(2),
	})
	got := map[string]types.PolicyEvaluationDecisionType{}
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.EvaluationResults {
			got[aws.ToString(r.EvalActionName)] = r.EvalDecision
		}
	}
	want := map[string]types.PolicyEvaluationDecisionType{
		"ec2:DescribeInstances":      types.PolicyEvaluationDecisionTypeAllowed,
		"ec2:AttachNetworkInterface": types.PolicyEvaluationDecisionTypeExplicitDeny,
		"ec2:ReplaceRoute":           types.PolicyEvaluationDecisionTypeImplicitDeny,
	}
	if pages != 2 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pages %d, decisions %v, want 2 pages of %v", pages, got, want)
	}

	_, err := c.SimulatePrincipalPolicy(context.Background(), &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/other"), ActionNames: actions})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Errorf("unknown role: %v", err)
	}
}

func TestIAMFaults(t *testing.T) {
	ctx := context.Background()
	in := &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("vmseries-ha")}
	for _, tc := range []struct {
		name   string
		faults IAMFaults
		code   string
	}{
		{"throttled", IAMFaults{Throttle: true}, "Throttling"},
		{"access denied", IAMFaults{AccessDenied: []string{"GetInstanceProfile"}}, "AccessDenied"},
	} {
		w := VMSeriesIAM()
		w.Faults = tc.faults
		c, _, _ := startIAM(t, w, "us-east-1")
		_, err := c.GetInstanceProfile(ctx, in)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	// Signed for the pair's region instead of IAM's.
	c, h, _ := startIAM(t, VMSeriesIAM(), "eu-west-1")
	_, err := c.GetInstanceProfile(ctx, in)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "SignatureDoesNotMatch" {
		t.Errorf("wrong scope: %v", err)
	}
	if len(h.Actions()) != 0 {
		t.Errorf("badly signed call recorded: %v", h.Actions())
	}
}

// TestIAMErrorShape reads an IAM error as IAM writes it, unlike EC2's.
func TestIAMErrorShape(t *testing.T) {
	_, _, srv := startIAM(t, IAMWorld{}, "us-east-1")
	form := url.Values{"Action": {"GetInstanceProfile"}, "Version": {"2010-05-08"}, "InstanceProfileName": {"x"}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260301/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		XMLName   xml.Name `xml:"https://iam.amazonaws.com/doc/2010-05-08/ ErrorResponse"`
		Type      string   `xml:"Error>Type"`
		Code      string   `xml:"Error>Code"`
		Message   string   `xml:"Error>Message"`
		RequestID string   `xml:"RequestId"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNotFound || body.Type != "Sender" || body.Code != "NoSuchEntity" ||
		body.RequestID == "" || resp.Header.Get("X-Amzn-Requestid") != body.RequestID {
		t.Errorf("status %d, body %+v", resp.StatusCode, body)
	}
}

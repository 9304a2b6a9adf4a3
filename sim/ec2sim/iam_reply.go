package ec2sim

import (
	"encoding/xml"
	"net/http"
	"net/url"
)

// The IAM reply shapes follow the awsQuery protocol as the SDK's IAM
// client reads it (service/iam response snapshots): the modeled output
// inside <ActionResult>, lists as <member> children, then
// <ResponseMetadata>; errors as <ErrorResponse><Error>.

// iamCreateDate is the creation time of every simulated IAM object.
const iamCreateDate = "2026-01-05T09:00:00Z"

// ec2TrustPolicy is the trust policy of an instance role, URL-encoded as
// IAM returns policy documents.
var ec2TrustPolicy = url.QueryEscape(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
	`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)

// iamList is an IAM list: an element holding <member> children, written
// even when empty.
type iamList[T any] struct {
	Members []T `xml:"member"`
}

// iamMetadata ends every IAM success reply.
type iamMetadata struct {
	Xmlns     string `xml:"xmlns,attr"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

func (m *iamMetadata) stamp(requestID string) {
	m.Xmlns = iamXMLNS
	m.RequestID = requestID
}

type getInstanceProfileResponse struct {
	XMLName xml.Name `xml:"GetInstanceProfileResponse"`
	Result  struct {
		InstanceProfile iamProfileXML
	} `xml:"GetInstanceProfileResult"`
	iamMetadata
}

type iamProfileXML struct {
	Path                string
	InstanceProfileName string
	InstanceProfileID   string `xml:"InstanceProfileId"`
	Arn                 string
	CreateDate          string
	Roles               iamList[iamRoleXML]
}

type iamRoleXML struct {
	Path                     string
	AssumeRolePolicyDocument string
	RoleName                 string
	RoleID                   string `xml:"RoleId"`
	Arn                      string
	CreateDate               string
}

type simulatePrincipalPolicyResponse struct {
	XMLName xml.Name `xml:"SimulatePrincipalPolicyResponse"`
	Result  struct {
		EvaluationResults iamList[iamEvaluationXML]
		IsTruncated       bool
		Marker            string `xml:",omitempty"`
	} `xml:"SimulatePrincipalPolicyResult"`
	iamMetadata
}

type iamEvaluationXML struct {
	EvalActionName       string
	EvalResourceName     string
	EvalDecision         string
	MatchedStatements    iamList[iamStatementXML]
	MissingContextValues iamList[string]
}

type iamStatementXML struct {
	SourcePolicyID   string `xml:"SourcePolicyId"`
	SourcePolicyType string
	StartPosition    iamPositionXML
	EndPosition      iamPositionXML
}

type iamPositionXML struct {
	Line   int
	Column int
}

// iamErrorResponse is IAM's error body, unlike EC2's <Response><Errors>.
type iamErrorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

func writeIAMError(w http.ResponseWriter, e *apiError, requestID string) {
	body := iamErrorResponse{Xmlns: iamXMLNS, RequestID: requestID}
	body.Error.Type = "Sender"
	if e.status >= 500 {
		body.Error.Type = "Receiver"
	}
	body.Error.Code, body.Error.Message = e.code, e.message
	w.Header().Set("X-Amzn-Requestid", requestID)
	writeXML(w, e.status, body)
}

package ec2sim

import (
	"encoding/xml"
	"fmt"
	"net/http"
)

// apiError is an EC2 error reply: an error code, its message and the HTTP
// status EC2 answers it with.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errAuthFailure() *apiError {
	return &apiError{http.StatusUnauthorized, "AuthFailure",
		"AWS was not able to validate the provided access credentials"}
}

func errThrottled() *apiError {
	return &apiError{http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded."}
}

func errUnauthorized(action string) *apiError {
	return &apiError{http.StatusForbidden, "UnauthorizedOperation", fmt.Sprintf(
		"You are not authorized to perform this operation. User: arn:aws:iam::%s:user/hawatch "+
			"is not authorized to perform: ec2:%s because no identity-based policy allows the ec2:%s action",
		ownerID, action, action)}
}

func errDryRun() *apiError {
	return &apiError{http.StatusPreconditionFailed, "DryRunOperation",
		"Request would have succeeded, but DryRun flag is set."}
}

func errInvalidAction(action string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidAction",
		fmt.Sprintf("The action %s is not valid for this web service.", action)}
}

func errMissingParameter(name string) *apiError {
	return &apiError{http.StatusBadRequest, "MissingParameter",
		fmt.Sprintf("The request must contain the parameter %s", name)}
}

func errInvalidParameterValue(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidParameterValue", fmt.Sprintf(format, args...)}
}

func errInvalidParameterCombination(message string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidParameterCombination", message}
}

func errFilterLimitExceeded() *apiError {
	return &apiError{http.StatusBadRequest, "FilterLimitExceeded",
		fmt.Sprintf("The maximum number of filter values specified on a single call is %d", maxFilterValues)}
}

func errUnknownParameter(name string) *apiError {
	return &apiError{http.StatusBadRequest, "UnknownParameter",
		fmt.Sprintf("The parameter %s is not recognized", name)}
}

func errInvalidToken() *apiError {
	return &apiError{http.StatusBadRequest, "InvalidPaginationToken", "Invalid pagination token"}
}

// errNotFound is the reply to an explicitly named resource that does not
// exist, e.g. InvalidInstanceID.NotFound.
func errNotFound(code, kind, id string) *apiError {
	return &apiError{http.StatusBadRequest, code, fmt.Sprintf("The %s '%s' does not exist", kind, id)}
}

// errorResponse is EC2's error body; it differs from the success replies in
// casing, namespace and the spelling of the request ID element.
type errorResponse struct {
	XMLName   xml.Name   `xml:"Response"`
	Errors    []errorXML `xml:"Errors>Error"`
	RequestID string     `xml:"RequestID"`
}

type errorXML struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func writeError(w http.ResponseWriter, e *apiError, requestID string) {
	writeXML(w, e.status, errorResponse{
		Errors:    []errorXML{{Code: e.code, Message: e.message}},
		RequestID: requestID,
	})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, "encode reply: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

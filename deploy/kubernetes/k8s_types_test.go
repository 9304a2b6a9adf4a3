package kubernetes_test

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// The structs below mirror the Kubernetes API types (k8s.io/api v0.37.2)
// for the fields the manifests use, with the same JSON names and shapes.
// Decoding strictly into them rejects any other field, so a field added to
// the manifests must be added here after checking it against the API type.
// They stand in for k8s.io/api because its dependencies are not in go.mod.
// Quantities are kept as strings and parsed where compared; label selectors
// have matchLabels only, so a matchExpressions the checks below would
// ignore is rejected instead.

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

type objectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type labelSelector struct {
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

type namespace struct {
	typeMeta `json:",inline"`
	Meta     objectMeta `json:"metadata"`
}

type serviceAccount struct {
	typeMeta                     `json:",inline"`
	Meta                         objectMeta `json:"metadata"`
	AutomountServiceAccountToken *bool      `json:"automountServiceAccountToken,omitempty"`
}

type configMap struct {
	typeMeta `json:",inline"`
	Meta     objectMeta        `json:"metadata"`
	Data     map[string]string `json:"data,omitempty"`
}

type secret struct {
	typeMeta   `json:",inline"`
	Meta       objectMeta        `json:"metadata"`
	Type       string            `json:"type,omitempty"`
	Data       map[string][]byte `json:"data,omitempty"`
	StringData map[string]string `json:"stringData,omitempty"`
}

type service struct {
	typeMeta `json:",inline"`
	Meta     objectMeta  `json:"metadata"`
	Spec     serviceSpec `json:"spec"`
}

type serviceSpec struct {
	Type                     string            `json:"type,omitempty"`
	ClusterIP                string            `json:"clusterIP,omitempty"`
	PublishNotReadyAddresses bool              `json:"publishNotReadyAddresses,omitempty"`
	Selector                 map[string]string `json:"selector,omitempty"`
	Ports                    []servicePort     `json:"ports,omitempty"`
}

type servicePort struct {
	Name       string      `json:"name,omitempty"`
	Protocol   string      `json:"protocol,omitempty"`
	Port       int32       `json:"port"`
	TargetPort intOrString `json:"targetPort"`
}

type networkPolicy struct {
	typeMeta `json:",inline"`
	Meta     objectMeta        `json:"metadata"`
	Spec     networkPolicySpec `json:"spec"`
}

type networkPolicySpec struct {
	PodSelector labelSelector              `json:"podSelector"`
	PolicyTypes []string                   `json:"policyTypes,omitempty"`
	Ingress     []networkPolicyIngressRule `json:"ingress,omitempty"`
	Egress      []networkPolicyEgressRule  `json:"egress,omitempty"`
}

type networkPolicyIngressRule struct {
	Ports []networkPolicyPort `json:"ports,omitempty"`
	From  []networkPolicyPeer `json:"from,omitempty"`
}

type networkPolicyEgressRule struct {
	Ports []networkPolicyPort `json:"ports,omitempty"`
	To    []networkPolicyPeer `json:"to,omitempty"`
}

type networkPolicyPeer struct {
	PodSelector       *labelSelector `json:"podSelector,omitempty"`
	NamespaceSelector *labelSelector `json:"namespaceSelector,omitempty"`
	IPBlock           *ipBlock       `json:"ipBlock,omitempty"`
}

type ipBlock struct {
	CIDR   string   `json:"cidr"`
	Except []string `json:"except,omitempty"`
}

type networkPolicyPort struct {
	Protocol *string      `json:"protocol,omitempty"`
	Port     *intOrString `json:"port,omitempty"`
	EndPort  *int32       `json:"endPort,omitempty"`
}

// intOrString mirrors intstr.IntOrString: a port number or a port name.
type intOrString struct {
	IntVal   int32
	StrVal   string
	IsString bool
}

// UnmarshalJSON accepts a JSON number or string.
func (v *intOrString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		v.IsString = true
		return json.Unmarshal(b, &v.StrVal)
	}
	return json.Unmarshal(b, &v.IntVal)
}

// MarshalJSON writes the number or the string.
func (v intOrString) MarshalJSON() ([]byte, error) {
	if v.IsString {
		return json.Marshal(v.StrVal)
	}
	return json.Marshal(v.IntVal)
}

// String returns the name or the number.
func (v intOrString) String() string {
	if v.IsString {
		return v.StrVal
	}
	return strconv.Itoa(int(v.IntVal))
}

// resolve returns the port number, looking names up in named.
func (v intOrString) resolve(named map[string]int32) (int32, error) {
	if !v.IsString {
		return v.IntVal, nil
	}
	n, ok := named[v.StrVal]
	if !ok {
		return 0, fmt.Errorf("no container port named %q", v.StrVal)
	}
	return n, nil
}

// Package kubernetes holds the Kubernetes manifests of hawatch and the tests
// that check them offline: every document is decoded strictly into its API
// type and the references between the objects are followed.
//
// prometheusrule.yaml is generated from deploy/prometheus/hawatch-rules.yml
// so that the operator-managed rules never drift from the rule file:
//
//	go generate ./deploy/kubernetes
package kubernetes

//go:generate go run gen_prometheusrule.go -rules ../prometheus/hawatch-rules.yml -out prometheusrule.yaml

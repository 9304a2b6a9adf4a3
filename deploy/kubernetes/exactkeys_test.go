package kubernetes_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"
)

// decodeStrict decodes one YAML document into v as the API server does in
// strict mode: duplicate keys, unknown fields and keys that match a field
// only without regard to case are errors.
func decodeStrict(doc []byte, v any) error {
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	return exactKeys(j, v)
}

// exactKeys reports the object keys of the JSON value data that match no
// field of v's type exactly. encoding/json matches keys without regard to
// case, so DisallowUnknownFields alone accepts "containerport" for
// "containerPort", and "Data" beside "data" as a second value of the same
// field, which Kubernetes would not.
func exactKeys(data []byte, v any) error {
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	var errs []error
	walkKeys(raw, reflect.TypeOf(v), "", &errs)
	return errors.Join(errs...)
}

// unmarshalerType is the type of types that decode their own JSON; their
// shape (a quantity, a port name or number, a time, raw fields) is theirs
// to check.
var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func walkKeys(raw any, t reflect.Type, path string, errs *[]error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := raw.(map[string]any)
		if !ok {
			return // a type mismatch is the decoder's to report
		}
		fields := jsonFields(t)
		for k, val := range obj {
			ft, ok := fields[k]
			if !ok {
				*errs = append(*errs, fmt.Errorf("%s: unknown key %q", cmp.Or(path, "."), k))
				continue
			}
			walkKeys(val, ft, path+"."+k, errs)
		}
	case reflect.Slice, reflect.Array:
		if arr, ok := raw.([]any); ok {
			for i, e := range arr {
				walkKeys(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	case reflect.Map:
		if obj, ok := raw.(map[string]any); ok {
			for k, e := range obj {
				walkKeys(e, t.Elem(), path+"."+k, errs)
			}
		}
	}
}

// jsonFields returns the JSON names of the fields of struct type t, with
// the fields of embedded structs that have no JSON name (the API types'
// `json:",inline"`); as in encoding/json, a field of t hides an embedded
// field of the same name.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields, embedded := map[string]reflect.Type{}, map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case name == "-":
		case f.Anonymous && name == "" && ft.Kind() == reflect.Struct:
			maps.Copy(embedded, jsonFields(ft))
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			fields[name] = f.Type
		}
	}
	for k, v := range embedded {
		if _, ok := fields[k]; !ok {
			fields[k] = v
		}
	}
	return fields
}

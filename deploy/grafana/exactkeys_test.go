package grafana_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
)

// exactKeys reports the object keys of the JSON value data that match no
// field of v's type exactly. encoding/json matches keys without regard to
// case, so DisallowUnknownFields alone accepts "gridpos" for "gridPos",
// which Grafana would ignore.
func exactKeys(data []byte, v any) error {
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	var errs []error
	walkKeys(raw, reflect.TypeOf(v), "", &errs)
	return errors.Join(errs...)
}

func walkKeys(raw any, t reflect.Type, path string, errs *[]error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	// The object form of a variable query decodes into its Editor field.
	if t == reflect.TypeFor[variableQuery]() {
		t = reflect.TypeFor[variableQuery]().Field(1).Type.Elem()
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
				*errs = append(*errs, fmt.Errorf("%s: unknown key %q", path, k))
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
// the fields of embedded structs.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			maps.Copy(fields, jsonFields(f.Type))
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			fields[name] = f.Type
		}
	}
	return fields
}

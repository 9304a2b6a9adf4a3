package ec2sim

import (
	"encoding/base64"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// request is one parsed EC2 Query API request.
type request struct {
	action string
	form   url.Values
}

// filter is one Filter.N of a request: an item matches when one of its
// values for Name equals one of Values.
type filter struct {
	Name   string
	Values []string
}

// list returns the values of a flattened list parameter such as
// InstanceId.1, InstanceId.2, in index order.
func (r *request) list(name string) []string {
	type indexed struct {
		i int
		v string
	}
	var items []indexed
	prefix := name + "."
	for k, vs := range r.form {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || len(vs) == 0 {
			continue
		}
		i, err := strconv.Atoi(rest)
		if err != nil {
			continue
		}
		items = append(items, indexed{i, vs[0]})
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out
}

// maxFilterValues is the most filter values EC2 accepts in one request.
const maxFilterValues = 200

// filters returns the Filter.N.Name / Filter.N.Value.M parameters.
func (r *request) filters() ([]filter, *apiError) {
	byIndex := map[int]*filter{}
	for k := range r.form {
		rest, ok := strings.CutPrefix(k, "Filter.")
		if !ok {
			continue
		}
		idx, field, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(idx)
		if err != nil || (field != "Name" && !strings.HasPrefix(field, "Value.")) {
			return nil, errUnknownParameter(k)
		}
		if byIndex[i] == nil {
			byIndex[i] = &filter{
				Name:   r.form.Get("Filter." + idx + ".Name"),
				Values: r.list("Filter." + idx + ".Value"),
			}
		}
	}
	indexes := make([]int, 0, len(byIndex))
	for i := range byIndex {
		indexes = append(indexes, i)
	}
	sort.Ints(indexes)
	values := 0
	for _, f := range byIndex {
		values += len(f.Values)
	}
	if values > maxFilterValues {
		return nil, errFilterLimitExceeded()
	}
	out := make([]filter, 0, len(indexes))
	for _, i := range indexes {
		f := byIndex[i]
		if f.Name == "" {
			return nil, errInvalidParameterValue("The filter Filter.%d has no name", i)
		}
		if len(f.Values) == 0 {
			return nil, errInvalidParameterValue("The filter '%s' has no values", f.Name)
		}
		out = append(out, *f)
	}
	return out, nil
}

// bool reports whether a Boolean parameter is "true".
func (r *request) bool(name string) bool {
	return strings.EqualFold(r.form.Get(name), "true")
}

// fields maps a filter name to the values an item has for it.
type fields[T any] map[string]func(T) []string

// apply keeps the items matching every filter. An unknown filter name is
// an InvalidParameterValue, as in EC2.
func apply[T any](items []T, fs []filter, known fields[T]) ([]T, *apiError) {
	for _, f := range fs {
		if known[f.Name] == nil {
			return nil, errInvalidParameterValue("The filter '%s' is invalid", f.Name)
		}
	}
	var out []T
	for _, it := range items {
		if matchesAll(it, fs, known) {
			out = append(out, it)
		}
	}
	return out, nil
}

func matchesAll[T any](it T, fs []filter, known fields[T]) bool {
	for _, f := range fs {
		have := known[f.Name](it)
		if !slices.ContainsFunc(f.Values, func(v string) bool { return slices.Contains(have, v) }) {
			return false
		}
	}
	return true
}

// one wraps a single value for a fields function, dropping it when empty.
func one(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}

// paginate returns the page of items a request asks for and the token of
// the next page. Without MaxResults every item is returned at once.
func paginate[T any](r *request, items []T, minResults, maxResults int) ([]T, string, *apiError) {
	start := 0
	if tok := r.form.Get("NextToken"); tok != "" {
		n, ok := decodeToken(r.action, tok)
		if !ok || n > len(items) {
			return nil, "", errInvalidToken()
		}
		start = n
	}
	raw := r.form.Get("MaxResults")
	if raw == "" {
		return items[start:], "", nil
	}
	size, err := strconv.Atoi(raw)
	if err != nil || size < minResults || size > maxResults {
		return nil, "", errInvalidParameterValue(
			"Value ( %s ) for parameter maxResults is invalid. Expecting a value between %d and %d.",
			raw, minResults, maxResults)
	}
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = encodeToken(r.action, end)
	}
	return items[start:end], next, nil
}

// Tokens are opaque to clients but carry the action they belong to, so a
// token of another call is rejected.
func encodeToken(action string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ec2sim/" + action + "/" + strconv.Itoa(offset)))
}

func decodeToken(action, tok string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(raw), "ec2sim/"+action+"/")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

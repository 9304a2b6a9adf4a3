package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// nodeIndex knows where each key of the YAML file is, to name keys and
// lines in errors: yaml.v3 reports only lines, and validation only keys.
type nodeIndex struct {
	entries []indexEntry
	byPath  map[string]int
}

// indexEntry is a key of a mapping, or an item of a sequence.
type indexEntry struct {
	path  string // e.g. pairs[1].peers[0].address
	key   string // last key; empty for sequence items
	line  int    // of the key, or of the item
	value *yaml.Node
}

func newNodeIndex(root *yaml.Node) *nodeIndex {
	x := &nodeIndex{byPath: map[string]int{}}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		x.walk("", root.Content[0])
	}
	return x
}

// walk indexes n at path. Aliases are not followed: their content is
// indexed where the anchor is.
func (x *nodeIndex) walk(path string, n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			x.add(indexEntry{path: p, key: k.Value, line: k.Line, value: v})
			x.walk(p, v)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			x.add(indexEntry{path: p, line: item.Line, value: item})
			x.walk(p, item)
		}
	}
}

func (x *nodeIndex) add(e indexEntry) {
	if _, dup := x.byPath[e.path]; !dup {
		x.byPath[e.path] = len(x.entries)
	}
	x.entries = append(x.entries, e)
}

// annotate adds lines to the problems of err that concern the file. A
// setting that a pair took from the defaults section is shown at the
// defaults key; one not written at all at its closest written parent.
func (x *nodeIndex) annotate(err error, path string) {
	for _, fe := range fieldErrors(err) {
		if fe.File != path || fe.Line > 0 || fe.Field == "" {
			continue
		}
		if e, ok := x.lookup(fe.Field); ok {
			fe.Line = e.line
			continue
		}
		if rest, ok := cutPairPrefix(fe.Field); ok {
			if e, ok := x.lookup("defaults." + rest); ok {
				fe.Line = e.line
				fe.Field += " (from " + e.path + ")"
				continue
			}
		}
		for p := parentPath(fe.Field); p != ""; p = parentPath(p) {
			if e, ok := x.lookup(p); ok {
				fe.Line = e.line
				break
			}
		}
	}
}

func (x *nodeIndex) lookup(path string) (indexEntry, bool) {
	i, ok := x.byPath[path]
	if !ok {
		return indexEntry{}, false
	}
	return x.entries[i], true
}

// cutPairPrefix turns pairs[3].panos.ca_file into panos.ca_file.
func cutPairPrefix(path string) (string, bool) {
	if !strings.HasPrefix(path, "pairs[") {
		return "", false
	}
	_, rest, ok := strings.Cut(path, "].")
	return rest, ok
}

// parentPath turns a.b[1].c into a.b[1], a.b[1] into a.b, and a into "".
func parentPath(path string) string {
	if i := strings.LastIndexAny(path, ".["); i > 0 {
		return path[:i]
	}
	return ""
}

var (
	unknownFieldRE = regexp.MustCompile(`^line (\d+): field (.+) not found in type (\S+)$`)
	badValueRE     = regexp.MustCompile("^line (\\d+): cannot unmarshal (!!\\w+)(?: `(.*)`)? into (.+)$")
	duplicateKeyRE = regexp.MustCompile(`^line (\d+): mapping key "(.*)" already defined at line (\d+)$`)
	lineRE         = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// typeErrors turns yaml.v3's decoding errors, which give a line and a Go
// type, into FieldErrors that name the key path.
func (x *nodeIndex) typeErrors(path string, te *yaml.TypeError) []*FieldError {
	used := map[int]bool{}
	var errs []*FieldError
	for _, msg := range te.Errors {
		errs = append(errs, x.typeError(path, msg, used))
	}
	return errs
}

func (x *nodeIndex) typeError(path, msg string, used map[int]bool) *FieldError {
	fe := &FieldError{File: path}
	if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		fe.Field = x.find(fe.Line, used, func(e indexEntry) bool { return e.key == m[2] }, m[2])
		fe.Err = ErrUnknownField
		if s := suggest(m[2], m[3]); s != "" {
			fe.Err = fmt.Errorf("%w (did you mean %s?)", ErrUnknownField, s)
		}
		return fe
	}
	if m := duplicateKeyRE.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		fe.Field = x.find(fe.Line, used, func(e indexEntry) bool { return e.key == m[2] }, m[2])
		fe.Err = fmt.Errorf("duplicate key (first at line %s)", m[3])
		return fe
	}
	if m := badValueRE.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		var node *yaml.Node
		fe.Field = x.find(fe.Line, used, func(e indexEntry) bool {
			if e.value.Kind == yaml.ScalarNode && !valueMatches(e.value.Value, m[3]) {
				return false
			}
			if e.value.ShortTag() != m[2] && e.value.Tag != m[2] {
				return false
			}
			node = e.value
			return true
		}, "")
		fe.Err = badValue(fe.Field, node, m[4])
		return fe
	}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	fe.Err = errors.New(msg)
	return fe
}

// find returns the path of the first entry at line that match accepts and
// that no earlier error used; fallback when there is none.
func (x *nodeIndex) find(line int, used map[int]bool, match func(indexEntry) bool, fallback string) string {
	for i, e := range x.entries {
		if e.line != line && e.value.Line != line || used[i] {
			continue
		}
		if match(e) {
			used[i] = true
			return e.path
		}
	}
	return fallback
}

// valueMatches compares a scalar with yaml.v3's rendering of it in an
// error, which cuts values longer than ten bytes to seven and "...".
func valueMatches(value, shown string) bool {
	if len(value) > 10 {
		return strings.HasSuffix(shown, "...") && strings.HasPrefix(value, strings.TrimSuffix(shown, "..."))
	}
	return value == shown
}

// badValue describes a value of the wrong type without showing secrets.
func badValue(field string, node *yaml.Node, goType string) error {
	want := describeType(goType)
	if node == nil {
		return fmt.Errorf("invalid value: want %s", want)
	}
	switch {
	case node.Kind == yaml.MappingNode:
		return fmt.Errorf("got a mapping, want %s", want)
	case node.Kind == yaml.SequenceNode:
		return fmt.Errorf("got a list, want %s", want)
	case isSecretKey(field):
		return fmt.Errorf("invalid value: want %s", want)
	}
	return fmt.Errorf("invalid value %q: want %s", node.Value, want)
}

// isSecretKey reports whether a key path names a literal secret.
func isSecretKey(path string) bool {
	return strings.HasSuffix(path, ".api_key") || strings.HasSuffix(path, ".password")
}

// describeType names a Go type of the file schema for users.
func describeType(goType string) string {
	t := strings.TrimPrefix(goType, "*")
	switch {
	case t == "time.Duration":
		return "a duration such as 30s or 1m30s"
	case t == "bool":
		return "true or false"
	case t == "float64", strings.HasPrefix(t, "int"):
		return "a number"
	case t == "string", t == "config.Secret":
		return "a string"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	}
	return "a mapping"
}

// suggest returns the known key of the schema type named goType closest
// to an unknown key, if it is close enough to be a typo.
func suggest(unknown, goType string) string {
	best, bestDist := "", 3
	for _, k := range schemaKeys(goType) {
		if d := editDistance(unknown, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// schemaKeys lists the YAML keys of the file schema type named goType,
// such as config.filePeer.
func schemaKeys(goType string) []string {
	var keys []string
	var collect func(t reflect.Type)
	collect = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if opts == "inline" {
				collect(f.Type)
				continue
			}
			keys = append(keys, name)
		}
	}
	for _, t := range []reflect.Type{
		reflect.TypeFor[fileConfig](), reflect.TypeFor[pairSettings](), reflect.TypeFor[filePair](),
		reflect.TypeFor[filePeer](), reflect.TypeFor[filePANOS](), reflect.TypeFor[fileAWS](),
	} {
		if t.String() == goType {
			collect(t)
		}
	}
	return keys
}

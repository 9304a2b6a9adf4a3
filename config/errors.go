package config

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError is a problem with one setting, named the way the user wrote
// it: an environment variable, or a key path of the YAML file such as
// pairs[1].peers[0].address. It never contains a secret value.
type FieldError struct {
	// File is the YAML file the setting came from; empty for environment
	// variables.
	File string
	// Line is the line of the setting in File; 0 when unknown.
	Line int
	// Field is the variable name or the key path; empty when the problem
	// is with the file as a whole.
	Field string
	Err   error
}

// Error formats the problem as "config file F:LINE: FIELD: problem" for the
// YAML file and "VARIABLE: problem" for the environment.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString("config file ")
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *FieldError) Unwrap() error { return e.Err }

// Sentinel problems, for errors.Is in callers and tests.
var (
	// ErrUnknownField is a YAML key that hawatch does not know.
	ErrUnknownField = errors.New("unknown field")
	// ErrRequired is a setting that must be given.
	ErrRequired = errors.New("required")
	// ErrConflict is a pair of settings that must not both be given.
	ErrConflict = errors.New("conflicting settings")
)

// errorList is several problems, shown one a line.
type errorList []*FieldError

func (l errorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As see every problem.
func (l errorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// joinFieldErrors returns nil for no problems, the problem itself for one,
// and an errorList otherwise.
func joinFieldErrors(errs []*FieldError) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errorList(errs)
}

// fieldErrors lists the problems in an error made by joinFieldErrors.
func fieldErrors(err error) []*FieldError {
	var list errorList
	if errors.As(err, &list) {
		return list
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return []*FieldError{fe}
	}
	return nil
}

// fieldErrorf builds a FieldError for an environment variable or a key.
func fieldErrorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

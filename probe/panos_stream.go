package probe

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/hawatch/hawatch/probe/xmlscan"
)

// The streaming decoder of the poll's largest replies. encoding/xml's
// Unmarshal spends most of its time on elements no field wants (a counter
// reply has some thirty per interface, hawatch reads eight) and on its
// reflection; walkReply reads the tokens once (package xmlscan, which reads
// what encoding/xml's RawToken reads but allocates nothing per token),
// within the limits, and hands the elements below result to the parser,
// which keeps what it needs.
// It keeps Unmarshal's rules: an element's text is its direct character
// data, a repeated element overwrites, names match on their local part.

// replyEnvelope is what walkReply gathers of the envelope.
type replyEnvelope struct {
	status, code string
	msg          apiMsg
	head         resultHead
	result       bool // a result element was seen
}

// walkReply reads body as a PAN-OS reply within lim, checks its envelope
// and calls visit for every element below response/result as it starts
// (end false, text the value of its name attribute, nil without one) and as
// it ends (with its text). path holds the
// open elements from result's child down to the element; neither path nor
// text may be kept after visit returns. what names the command in errors.
func walkReply(body []byte, lim XMLLimits, what string, visit func(path []xml.Name, text []byte, end bool)) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%s reply: %w: empty body", what, ErrMalformed)
	}
	var env replyEnvelope
	if err := walkTokens(body, lim, &env, visit); err != nil {
		return fmt.Errorf("%s reply: %w: %w", what, ErrMalformed, err)
	}
	var none resultHead
	head := &none
	if env.result {
		head = &env.head
	}
	if err := checkEnvelope(env.status, env.code, &env.msg, head); err != nil {
		return fmt.Errorf("%s reply: %w", what, err)
	}
	if !env.result {
		return fmt.Errorf("%s reply: %w: no result element", what, ErrMalformed)
	}
	return nil
}

// walkTokens is walkReply's token loop. Like Unmarshal it reads only the
// first root element, then the rest of the document for well-formedness.
// It enforces lim as boundedTokens does, with the same errors.
func walkTokens(body []byte, lim XMLLimits, env *replyEnvelope, visit func([]xml.Name, []byte, bool)) error {
	w := tokenWalks.Get().(*tokenWalk)
	defer w.release()
	return w.walk(body, lim, env, visit)
}

// walk is walkTokens with w's buffers.
func (w *tokenWalk) walk(body []byte, lim XMLLimits, env *replyEnvelope, visit func([]xml.Name, []byte, bool)) error {
	w.scan.Reset(body)
	w.open, w.elements = w.open[:0], 0
	lim = lim.withDefaults()
	rooted, done := false, false
	for {
		kind, err := w.scan.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch kind {
		case xmlscan.StartElement:
			name, err := w.opening(lim)
			if err != nil {
				return err
			}
			if !rooted {
				if name.Local != "response" {
					return fmt.Errorf("expected element type <response> but have <%s>", name.Local)
				}
				rooted = true
				env.start(w.scan.Attrs())
			}
			w.push(name)
			if !done {
				env.visit(w.open, nameAttr(w.scan.Attrs()), false, visit)
			}
		case xmlscan.EndElement:
			if err := w.closes(w.scan.Name()); err != nil {
				return err
			}
			if !done {
				env.visit(w.open, w.texts[len(w.open)-1], true, visit)
			}
			w.open = w.open[:len(w.open)-1]
			done = done || len(w.open) == 0
		case xmlscan.CharData:
			if n := len(w.open); n > 0 {
				w.texts[n-1] = append(w.texts[n-1], w.scan.Text()...)
			}
		}
	}
	if !rooted {
		return io.EOF // as Unmarshal of a document without an element
	}
	if len(w.open) > 0 {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// nameAttr is the value of the last attribute named name, the one Unmarshal
// keeps for a `name,attr` field (list entries carry their name so).
func nameAttr(attrs []xmlscan.Attr) []byte {
	for i := len(attrs) - 1; i >= 0; i-- {
		if string(attrs[i].Name.Local) == "name" {
			return attrs[i].Value
		}
	}
	return nil
}

// start reads the root's attributes.
func (env *replyEnvelope) start(attrs []xmlscan.Attr) {
	for _, a := range attrs {
		switch string(a.Name.Local) {
		case "status":
			env.status = string(a.Value)
		case "code":
			env.code = string(a.Value)
		}
	}
}

// visit keeps the envelope's elements and passes those below result on.
func (env *replyEnvelope) visit(open []xml.Name, text []byte, end bool, visit func([]xml.Name, []byte, bool)) {
	if len(open) < 2 {
		return
	}
	switch open[1].Local {
	case "msg":
		env.msg.add(open[2:], text, end)
	case "result":
		env.result = true
		if len(open) < 3 {
			return
		}
		switch open[2].Local {
		case "msg":
			env.head.Msg.add(open[3:], text, end)
		case "error":
			if end && len(open) == 3 {
				env.head.Error = string(text)
			}
		}
		visit(open[2:], text, end)
	}
}

// add keeps a msg element's text (below is empty) or one of its lines.
func (m *apiMsg) add(below []xml.Name, text []byte, end bool) {
	switch {
	case !end:
	case len(below) == 0:
		m.Text = string(text)
	case len(below) == 1 && below[0].Local == "line":
		m.Lines = append(m.Lines, string(text))
	}
}

package probe

import (
	"encoding/xml"
	"fmt"
	"sync"

	"github.com/hawatch/hawatch/probe/xmlscan"
)

// tokenWalk is walkTokens' state, kept between replies so that a poll's
// token pass allocates nothing per token: the scanner and its buffers, the
// open elements with their texts, and the element names met so far.
type tokenWalk struct {
	scan     xmlscan.Scanner
	open     []xml.Name // the open elements, root first
	texts    [][]byte   // their direct character data
	elements int        // elements read so far
	names    nameTable
}

// tokenWalks holds tokenWalk values between replies, as replyBufs holds
// read buffers; a walk is one goroutine's for one reply.
var tokenWalks = sync.Pool{New: func() any { return new(tokenWalk) }}

// maxKeptText bounds an element's text buffer kept for the next reply.
const maxKeptText = 64 << 10

// release drops the reply and any huge buffer, and gives w back.
func (w *tokenWalk) release() {
	w.scan.Reset(nil)
	for i, t := range w.texts {
		if cap(t) > maxKeptText {
			w.texts[i] = nil
		}
	}
	tokenWalks.Put(w)
}

// opening counts the start element just read against lim, with
// boundedTokens' errors, and returns its name.
func (w *tokenWalk) opening(lim XMLLimits) (xml.Name, error) {
	w.elements++
	if len(w.open) >= lim.MaxDepth {
		return xml.Name{}, fmt.Errorf("elements nested deeper than %d", lim.MaxDepth)
	}
	if w.elements > lim.MaxElements {
		return xml.Name{}, fmt.Errorf("more than %d elements", lim.MaxElements)
	}
	return w.name(w.scan.Name()), nil
}

// name is n as an xml.Name of interned strings, which visitors may keep.
func (w *tokenWalk) name(n xmlscan.Name) xml.Name {
	return xml.Name{Space: w.names.intern(n.Space), Local: w.names.intern(n.Local)}
}

// push opens an element with an empty text.
func (w *tokenWalk) push(name xml.Name) {
	w.open = append(w.open, name)
	if len(w.texts) < len(w.open) {
		w.texts = append(w.texts, nil)
	}
	w.texts[len(w.open)-1] = w.texts[len(w.open)-1][:0]
}

// closes fails unless n closes the innermost open element. The scanner,
// like RawToken, does not pair them.
func (w *tokenWalk) closes(n xmlscan.Name) error {
	if len(w.open) == 0 {
		return fmt.Errorf("end element </%s> without start", n.Local)
	}
	if top := w.open[len(w.open)-1]; top.Local != string(n.Local) || top.Space != string(n.Space) {
		return fmt.Errorf("element closed by </%s> without its start", n.Local)
	}
	return nil
}

// Bounds of a nameTable. PAN-OS replies draw element names from a fixed
// vocabulary of a few hundred short names; a hostile reply's made-up names
// must not grow the table without limit, so names past these bounds are
// allocated each time they are met.
const (
	maxInterned    = 2048
	maxInternedLen = 64
)

// nameTable interns names: looking one up with m[string(b)] does not
// allocate, so a name already met costs no allocation.
type nameTable map[string]string

func (t *nameTable) intern(b []byte) string {
	if len(b) == 0 {
		return "" // most prefixes
	}
	if s, ok := (*t)[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(*t) < maxInterned && len(b) <= maxInternedLen {
		if *t == nil {
			*t = make(nameTable)
		}
		(*t)[s] = s
	}
	return s
}

package fleet

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// PairInfo is one pair as GET /pairs lists it.
type PairInfo struct {
	Name  string    `json:"name"`
	Peers [2]string `json:"peers"`
	// InstanceIDs are the peers' EC2 instances; absent without AWS.
	InstanceIDs []string `json:"instance_ids,omitempty"`
	// Fault is what Break applied; empty when healthy.
	Fault string `json:"fault"`
}

// Handler returns the control API:
//
//	GET  /pairs                         every pair and its fault
//	POST /pairs/{name}/break?fault=F    apply fault F (see FaultNames)
//	POST /pairs/{name}/restore          back to healthy
//	GET  /counts                        requests received (Counts)
func (f *Fleet) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pairs", func(w http.ResponseWriter, _ *http.Request) {
		out := make([]PairInfo, 0, len(f.pairs))
		for k, p := range f.pairs {
			out = append(out, f.info(k, p))
		}
		writeJSON(w, out)
	})
	mux.HandleFunc("POST /pairs/{name}/break", func(w http.ResponseWriter, r *http.Request) {
		p, ok := f.lookup(w, r)
		if !ok {
			return
		}
		fault := r.URL.Query().Get("fault")
		if !p.Break(fault) {
			http.Error(w, fmt.Sprintf("unknown fault %q (want one of %s)", fault, strings.Join(FaultNames(), ", ")), http.StatusBadRequest)
			return
		}
		_, _ = fmt.Fprintf(w, "%s: %s\n", p.Name, p.Fault())
	})
	mux.HandleFunc("POST /pairs/{name}/restore", func(w http.ResponseWriter, r *http.Request) {
		if p, ok := f.lookup(w, r); ok {
			p.Restore()
			_, _ = fmt.Fprintf(w, "%s: restored\n", p.Name)
		}
	})
	mux.HandleFunc("GET /counts", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, f.Counts())
	})
	return mux
}

func (f *Fleet) lookup(w http.ResponseWriter, r *http.Request) (*Pair, bool) {
	name := r.PathValue("name")
	p, ok := f.index[name]
	if !ok {
		http.Error(w, fmt.Sprintf("no pair %q", name), http.StatusNotFound)
	}
	return p, ok
}

func (f *Fleet) info(k int, p *Pair) PairInfo {
	pi := PairInfo{Name: p.Name, Peers: [2]string{p.PeerAddr(0), p.PeerAddr(1)}, Fault: p.Fault()}
	if f.opts.AWS {
		pi.InstanceIDs = []string{InstanceID(k, 0), InstanceID(k, 1)}
	}
	return pi
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

package web

import (
	"errors"
	"net/http"

	"github.com/hawatch/hawatch/statesnap"
)

// SnapshotsResponse is the JSON body of GET /api/v1/snapshots.
type SnapshotsResponse struct {
	Snapshots []statesnap.Info `json:"snapshots"`
}

// serveStateSnapshots answers GET /api/v1/snapshots[?pair=]: the stored
// state snapshots, newest first, without their state.
func (h *handler) serveStateSnapshots(w http.ResponseWriter, r *http.Request) {
	resp := SnapshotsResponse{Snapshots: []statesnap.Info{}}
	if h.opts.StateSnapshots != nil {
		infos, bad, err := h.opts.StateSnapshots.List()
		if err != nil {
			h.log.Error("cannot list state snapshots", "err", err)
			h.writeJSON(w, http.StatusInternalServerError, apiError{Error: "cannot list state snapshots"})
			return
		}
		for _, err := range bad {
			h.log.Warn("unreadable state snapshot", "err", err)
		}
		pair := r.URL.Query().Get("pair")
		for _, in := range infos {
			if pair == "" || in.Pair == pair {
				resp.Snapshots = append(resp.Snapshots, in)
			}
		}
	}
	h.writeJSON(w, http.StatusOK, resp)
}

// serveStateSnapshot answers GET /api/v1/snapshots/{name}: one snapshot
// with its state, in the schema `hawatch snapshot diff` reads, so that it
// can be saved to a file and compared.
func (h *handler) serveStateSnapshot(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if h.opts.StateSnapshots == nil {
		h.writeJSON(w, http.StatusNotFound, apiError{Error: "no state snapshots are kept"})
		return
	}
	if err := statesnap.CheckName(name); err != nil {
		h.writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	s, err := h.opts.StateSnapshots.Get(name)
	switch {
	case errors.Is(err, statesnap.ErrNotFound):
		h.writeJSON(w, http.StatusNotFound, apiError{Error: "no snapshot named " + name})
		return
	case err != nil:
		h.log.Error("cannot read state snapshot", "snapshot", name, "err", err)
		h.writeJSON(w, http.StatusInternalServerError, apiError{Error: "cannot read snapshot " + name})
		return
	}
	h.writeJSON(w, http.StatusOK, s)
}

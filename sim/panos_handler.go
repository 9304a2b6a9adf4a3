package sim

import (
	"crypto/subtle"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// PANOSHandler serves the PAN-OS XML API (/api) of one simulated peer:
// keygen and the op commands hawatch runs, with the peer's API faults.
type PANOSHandler struct {
	world  *World
	peer   int
	logger *slog.Logger
}

// NewPANOSHandler returns the API handler of peer (PeerA or PeerB). A nil
// logger discards logs.
func NewPANOSHandler(w *World, peer int, logger *slog.Logger) *PANOSHandler {
	checkPeer(peer)
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &PANOSHandler{world: w, peer: peer, logger: logger.With("peer", PeerName(peer))}
}

// Requests returns how many API requests the peer received, by command.
func (h *PANOSHandler) Requests() map[string]int { return h.world.Requests(h.peer) }

// reply is one answer of the API.
type reply struct {
	status int
	body   string
	reset  bool // close the connection instead
}

func xmlReply(status int, body string) reply { return reply{status: status, body: body} }

// ServeHTTP answers one API request. pango POSTs a form; GET with a query
// works as well.
func (h *PANOSHandler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api" && r.URL.Path != "/api/" {
		http.NotFound(rw, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		rw.Header().Set("Allow", "GET, POST")
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !h.world.Reachable(h.peer) {
		h.logger.Debug("api request while unreachable")
		resetConn(rw)
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		h.write(rw, xmlReply(http.StatusBadRequest, badRequestBody("body")))
		return
	}
	cmd, early := requestCommand(r.Form)
	h.world.countRequest(h.peer, cmd.name)
	f := h.world.fault(h.peer, cmd.name)
	h.logger.Debug("api request", "command", cmd.name, "fault", string(f.Kind))

	var rep reply
	switch f.Kind {
	case FaultSlow:
		if !wait(r, f.Delay) {
			return
		}
		rep = h.answer(r, cmd, early)
	case FaultForbidden:
		rep = xmlReply(http.StatusForbidden, forbiddenBody)
	case FaultReset:
		rep = reply{reset: true}
	case FaultHTML:
		rep = reply{status: http.StatusBadGateway, body: htmlBody}
	case FaultError:
		rep = xmlReply(http.StatusOK, faultErrorBody(f, cmd.name))
	case FaultMalformed:
		rep = h.answer(r, cmd, early)
		rep.body = rep.body[:len(rep.body)/2]
	default:
		rep = h.answer(r, cmd, early)
	}
	h.write(rw, rep)
}

// requestCommand tells what a request asks for; early is set when the
// request is answered without looking at the world (a bad request).
func requestCommand(form url.Values) (cmd opCommand, early *reply) {
	switch form.Get("type") {
	case "keygen":
		return opCommand{name: CmdKeygen}, nil
	case "op":
	default:
		r := xmlReply(http.StatusBadRequest, badRequestBody("type"))
		return opCommand{name: CmdUnknown}, &r
	}
	raw := form.Get("cmd")
	if raw == "" {
		r := xmlReply(http.StatusBadRequest, badRequestBody("cmd"))
		return opCommand{name: CmdUnknown}, &r
	}
	root, err := parseCmd(raw)
	if err != nil {
		r := xmlReply(http.StatusOK, errorBody(18, " Malformed command"))
		return opCommand{name: CmdUnknown}, &r
	}
	return classify(root), nil
}

// answer builds the normal reply to a request.
func (h *PANOSHandler) answer(r *http.Request, cmd opCommand, early *reply) reply {
	if cmd.name == CmdKeygen {
		user, pass := h.world.Credentials()
		if !equal(r.Form.Get("user"), user) || !equal(r.Form.Get("password"), pass) {
			return xmlReply(http.StatusForbidden, forbiddenBody)
		}
		return xmlReply(http.StatusOK, keygenBody(h.world.APIKey()))
	}
	key := r.Form.Get("key")
	if key == "" {
		key = r.Header.Get("X-PAN-KEY")
	}
	if !equal(key, h.world.APIKey()) {
		return xmlReply(http.StatusForbidden, forbiddenBody)
	}
	if early != nil {
		return *early
	}
	if cmd.name == CmdUnknown {
		return xmlReply(http.StatusOK, errorBody(17, cmd.unexpected))
	}
	v, ok := h.world.view(h.peer)
	if !ok {
		return reply{reset: true}
	}
	switch cmd.name {
	case CmdHA:
		return xmlReply(http.StatusOK, haReply(v))
	case CmdInterfaces:
		if cmd.arg == "all" {
			return xmlReply(http.StatusOK, interfacesReply(v))
		}
		return xmlReply(http.StatusOK, interfaceReply(v, cmd.arg))
	case CmdSessions:
		return xmlReply(http.StatusOK, sessionsReply(v))
	case CmdCounters:
		return xmlReply(http.StatusOK, countersReply(v))
	case CmdSystem:
		return xmlReply(http.StatusOK, systemReply(v))
	case CmdPlugins:
		return xmlReply(http.StatusOK, pluginsReply())
	}
	if body, ok := readinessReply(cmd.name, v); ok {
		return xmlReply(http.StatusOK, body)
	}
	return xmlReply(http.StatusOK, errorBody(17, " "+cmd.name+" is unexpected"))
}

// cmdTokens are the first tokens after "show" of each command.
var cmdTokens = map[string]string{
	CmdHA: "high-availability", CmdInterfaces: "interface", CmdSessions: "session",
	CmdCounters: "counter", CmdSystem: "system", CmdPlugins: "plugins",
	CmdLicenses: "license", CmdPendingChanges: "pending-changes", CmdDiskSpace: "system",
	CmdNTP: "ntp", CmdClock: "clock", CmdClockMore: "clock", CmdPanorama: "panorama-status",
	CmdARP: "arp", CmdTunnels: "running", CmdRoutes: "routing", CmdJobs: "jobs", CmdSoftware: "system",
}

// faultErrorBody is the reply of FaultError: by default the code-17 reply
// of a release that does not know the command.
func faultErrorBody(f Fault, cmd string) string {
	code, msg := f.Code, f.Message
	if code == 0 {
		code = 17
	}
	if msg == "" && code == 17 {
		tok, ok := cmdTokens[cmd]
		if !ok {
			tok = cmd
		}
		msg = " show -> " + tok + " is unexpected"
	}
	if msg == "" {
		msg = "Command failed"
	}
	return errorBody(code, msg)
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func (h *PANOSHandler) write(rw http.ResponseWriter, rep reply) {
	if rep.reset {
		resetConn(rw)
		return
	}
	ct := "application/xml; charset=UTF-8"
	if rep.status == http.StatusBadGateway {
		ct = "text/html"
	}
	rw.Header().Set("Content-Type", ct)
	rw.Header().Set("Content-Length", strconv.Itoa(len(rep.body)))
	rw.WriteHeader(rep.status)
	_, _ = rw.Write([]byte(rep.body))
}

// wait holds a slow reply back for d, and reports false when the client
// gave up first.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		d = DefaultSlowDelay
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// resetConn closes the client's connection without a reply, with a TCP
// reset where possible.
func resetConn(rw http.ResponseWriter) {
	conn, _, err := http.NewResponseController(rw).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*tls.Conn); ok {
		conn = tc.NetConn()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

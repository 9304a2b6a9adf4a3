package probe

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseDiskSpace parses the reply to `show system disk-space`: the text of
// df -h in the result, one line per file system. A file system name too
// long for its column sits on a line of its own, as df prints it.
func ParseDiskSpace(body []byte) ([]DiskPartition, error) {
	r, err := decodeReply[textResult](body, "disk space", XMLLimits{})
	if err != nil {
		return nil, err
	}
	var out []DiskPartition
	var carry string
	for _, line := range strings.Split(r.Text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "Filesystem" {
			continue
		}
		if carry != "" {
			f, carry = append([]string{carry}, f...), ""
		}
		if len(f) == 1 {
			carry = f[0]
			continue
		}
		if len(f) < 6 {
			return nil, fmt.Errorf("disk space reply: %w: line %q", ErrMalformed, clip(line))
		}
		p := DiskPartition{Filesystem: f[0], MountedOn: strings.Join(f[5:], " ")}
		var ok [3]bool
		p.Size, ok[0] = parseSize(f[1])
		p.Used, ok[1] = parseSize(f[2])
		p.Avail, ok[2] = parseSize(f[3])
		pct, perr := strconv.Atoi(strings.TrimSuffix(f[4], "%"))
		if !ok[0] || !ok[1] || !ok[2] || perr != nil {
			return nil, fmt.Errorf("disk space reply: %w: sizes in line %q", ErrMalformed, clip(line))
		}
		p.UsePercent = pct
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("disk space reply: %w: no file system", ErrMalformed)
	}
	return out, nil
}

// parseSize reads a df -h size: "31G", "5.0G", "136K", "1020K", "0"; a
// number without a unit is bytes. Units are powers of 1024.
func parseSize(s string) (uint64, bool) {
	mult := 1.0
	if n := len(s); n > 0 {
		if i := strings.IndexByte("KMGTP", s[n-1]); i >= 0 {
			mult = math.Pow(1024, float64(i+1))
			s = s[:n-1]
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v*mult >= math.MaxUint64/2 {
		return 0, false
	}
	return uint64(v * mult), true
}

// arpResult is the result of `show arp entry name = 'all'`.
type arpResult struct {
	resultHead
	Max     xmlUint `xml:"max"`
	Total   xmlUint `xml:"total"`
	Timeout xmlUint `xml:"timeout"`
	Entries *struct {
		Entry []struct {
			Interface string  `xml:"interface"`
			IP        string  `xml:"ip"`
			MAC       string  `xml:"mac"`
			Port      string  `xml:"port"`
			Status    string  `xml:"status"`
			TTL       xmlUint `xml:"ttl"`
		} `xml:"entry"`
	} `xml:"entries"`
}

// ParseARP parses the reply to `show arp entry name = 'all'`.
func ParseARP(body []byte) (*ARPTable, error) {
	r, err := decodeReply[arpResult](body, "arp", XMLLimits{})
	if err != nil {
		return nil, err
	}
	if r.Entries == nil {
		return nil, fmt.Errorf("arp reply: %w: no entries element", ErrMalformed)
	}
	t := &ARPTable{Max: r.Max.count(), Total: r.Total.count(), Timeout: r.Timeout.count()}
	for _, e := range r.Entries.Entry {
		t.Entries = append(t.Entries, ARPEntry{
			Interface: strings.TrimSpace(e.Interface),
			IP:        strings.TrimSpace(e.IP),
			MAC:       strings.TrimSpace(e.MAC),
			Port:      strings.TrimSpace(e.Port),
			Status:    strings.TrimSpace(e.Status),
			TTL:       e.TTL.count(),
		})
	}
	return t, nil
}

// tunnelResult is the result of `show running tunnel flow all`.
type tunnelResult struct {
	resultHead
	NumIPsec *xmlUint `xml:"num_ipsec"`
	IPsec    []struct {
		Name    string  `xml:"name"`
		ID      xmlUint `xml:"id"`
		GwID    xmlUint `xml:"gwid"`
		InnerIf string  `xml:"inner-if"`
		OuterIf string  `xml:"outer-if"`
		LocalIP string  `xml:"localip"`
		PeerIP  string  `xml:"peerip"`
		State   string  `xml:"state"`
		Mon     string  `xml:"mon"`
		Proto   string  `xml:"proto"`
	} `xml:"IPSec>entry"`
}

// ParseTunnels parses the reply to `show running tunnel flow all`: the
// IPsec tunnels of the data plane.
func ParseTunnels(body []byte) ([]Tunnel, error) {
	r, err := decodeReply[tunnelResult](body, "tunnel flow", XMLLimits{})
	if err != nil {
		return nil, err
	}
	if r.NumIPsec == nil && len(r.IPsec) == 0 {
		return nil, fmt.Errorf("tunnel flow reply: %w: no num_ipsec element", ErrMalformed)
	}
	out := make([]Tunnel, 0, len(r.IPsec))
	for _, e := range r.IPsec {
		out = append(out, Tunnel{
			Name: strings.TrimSpace(e.Name), ID: e.ID.count(), Gateway: e.GwID.count(),
			InnerIf: strings.TrimSpace(e.InnerIf), OuterIf: strings.TrimSpace(e.OuterIf),
			LocalIP: strings.TrimSpace(e.LocalIP), PeerIP: strings.TrimSpace(e.PeerIP),
			State: strings.TrimSpace(e.State), Monitor: strings.TrimSpace(e.Mon),
			Protocol: strings.TrimSpace(e.Proto),
		})
	}
	return out, nil
}

// jobsResult is the result of `show jobs all`.
type jobsResult struct {
	resultHead
	Jobs []struct {
		ID       string `xml:"id"`
		Type     string `xml:"type"`
		Status   string `xml:"status"`
		Queued   string `xml:"queued"`
		Result   string `xml:"result"`
		Progress string `xml:"progress"`
		User     string `xml:"user"`
		Tenq     string `xml:"tenq"`
	} `xml:"job"`
}

// ParseJobs parses the reply to `show jobs all`. Entries without an id (a
// job that failed to start, e.g. "job failed because of configd restart")
// are left out, as they never run.
func ParseJobs(body []byte) ([]Job, error) {
	r, err := decodeReply[jobsResult](body, "jobs", XMLLimits{})
	if err != nil {
		return nil, err
	}
	out := make([]Job, 0, len(r.Jobs))
	for _, j := range r.Jobs {
		id, err := strconv.Atoi(strings.TrimSpace(j.ID))
		if err != nil {
			continue
		}
		out = append(out, Job{
			ID: id, Type: strings.TrimSpace(j.Type), Status: strings.TrimSpace(j.Status),
			Queued: isYes(j.Queued), Result: strings.TrimSpace(j.Result),
			Progress: strings.TrimSpace(j.Progress), User: strings.TrimSpace(j.User),
			Enqueued: strings.TrimSpace(j.Tenq),
		})
	}
	return out, nil
}

// softwareResult is the result of `request system software info` (and of
// `request system software check`, which asks the update server first).
type softwareResult struct {
	resultHead
	Versions *struct {
		Entry []struct {
			Version    string  `xml:"version"`
			Filename   string  `xml:"filename"`
			Size       xmlUint `xml:"size"`
			Downloaded string  `xml:"downloaded"`
			Current    string  `xml:"current"`
			Latest     string  `xml:"latest"`
			Uploaded   string  `xml:"uploaded"`
		} `xml:"entry"`
	} `xml:"sw-updates>versions"`
}

// ParseSoftware parses the reply to `request system software info`.
func ParseSoftware(body []byte) ([]SoftwareImage, error) {
	r, err := decodeReply[softwareResult](body, "software info", XMLLimits{})
	if err != nil {
		return nil, err
	}
	if r.Versions == nil {
		return nil, fmt.Errorf("software info reply: %w: no sw-updates/versions element", ErrMalformed)
	}
	out := make([]SoftwareImage, 0, len(r.Versions.Entry))
	for _, e := range r.Versions.Entry {
		v := strings.TrimSpace(e.Version)
		if v == "" {
			return nil, fmt.Errorf("software info reply: %w: entry without version", ErrMalformed)
		}
		out = append(out, SoftwareImage{
			Version: v, Filename: strings.TrimSpace(e.Filename), SizeMB: uint64(e.Size),
			Downloaded: isYes(e.Downloaded), Current: isYes(e.Current),
			Latest: isYes(e.Latest), Uploaded: isYes(e.Uploaded),
		})
	}
	return out, nil
}

package probe

import (
	"errors"
	"testing"
	"time"
)

// Expected values in this file are read off the XML of each reply.

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseLicenses(t *testing.T) {
	got, err := ParseLicenses(replyFixture(t, "request-license-info-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "upgrade_assurance", got, []License{
		{Feature: "PAN-DB URL Filtering", Description: "Palo Alto Networks URL Filtering License",
			Issued: "April 20, 2023", Expires: "December 31, 2023", ExpiresAt: date(2023, 12, 31)},
		{Feature: "Logging Service", Description: "Device Logging Service",
			Issued: "June 29, 2022", Expires: "August 04, 2024", ExpiresAt: date(2024, 8, 4)},
		{Feature: "Premium", Description: "24 x 7 phone support; advanced replacement hardware service",
			Issued: "May 02, 2023", Expires: "June 30, 2028", ExpiresAt: date(2028, 6, 30)},
	})
	if got[0].IsSupport() || got[1].IsSupport() || !got[2].IsSupport() {
		t.Errorf("support: %v %v %v, want only Premium", got[0].IsSupport(), got[1].IsSupport(), got[2].IsSupport())
	}

	got, err = ParseLicenses(replyFixture(t, "request-license-info-vm50-expired-jcoeder_palo_alto_python.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 9 {
		t.Fatalf("%d licenses, want 9", len(got))
	}
	parseEq(t, "portal", got[0], License{Feature: "GlobalProtect Portal", Description: "GlobalProtect Portal License",
		Issued: "July 09, 2019", Expires: "Never"})
	if !got[0].Never() {
		t.Error("GlobalProtect Portal: Never() = false")
	}
	parseEq(t, "threat", got[1], License{Feature: "Threat Prevention", Description: "Threat Prevention",
		Issued: "July 09, 2019", Expires: "April 23, 2017", ExpiresAt: date(2017, 4, 23), Expired: true})
	if got[8].Feature != "Premium" || !got[8].IsSupport() || got[8].Expired || !got[8].ExpiresAt.Equal(date(2019, 9, 9)) {
		t.Errorf("support entry = %+v", got[8])
	}

	got, err = ParseLicenses(replyFixture(t, "request-license-info-empty-upgrade_assurance.xml"))
	if err != nil || len(got) != 0 {
		t.Errorf("empty licenses: %v, %v", got, err)
	}
}

func TestParsePendingChanges(t *testing.T) {
	for file, want := range map[string]bool{
		"check-pending-changes-yes-upgrade_assurance.xml": true,
		"check-pending-changes-no-upgrade_assurance.xml":  false,
	} {
		got, err := ParsePendingChanges(replyFixture(t, file))
		if err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", file, got, err, want)
		}
	}
	if _, err := ParsePendingChanges([]byte(`<response status="success"><result>maybe</result></response>`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("maybe: err = %v, want ErrMalformed", err)
	}
}

func TestParseNTP(t *testing.T) {
	tests := []struct {
		file   string
		want   NTPStatus
		synced bool
	}{
		{"show-ntp-upgrade_assurance.xml", NTPStatus{Synched: "1.pool.ntp.org", Servers: []NTPServer{
			{Slot: "ntp-server-1", Name: "0.pool.ntp.org", Status: "available", Auth: "none"},
			{Slot: "ntp-server-2", Name: "1.pool.ntp.org", Status: "available", Auth: "none"},
		}}, true},
		{"show-ntp-two-servers-device_paloalto_firewall_perl.xml", NTPStatus{Synched: "203.122.222.149", Servers: []NTPServer{
			{Slot: "ntp-server-1", Name: "202.122.222.150", Status: "rejected", Auth: "none"},
			{Slot: "ntp-server-2", Name: "203.122.222.149", Status: "synched", Reachable: true, Auth: "none"},
		}}, true},
		{"show-ntp-local-device_paloalto_firewall_perl.xml", NTPStatus{Synched: "LOCAL", Servers: []NTPServer{
			{Slot: "ntp-server-1", Name: "202.122.222.150", Status: "rejected", Auth: "none"},
		}}, false},
		{"show-ntp-no-servers-device_paloalto_firewall_perl.xml", NTPStatus{Synched: "LOCAL"}, false},
	}
	for _, tt := range tests {
		got, err := ParseNTP(replyFixture(t, tt.file))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		parseEq(t, tt.file, *got, tt.want)
		if got.Synchronized() != tt.synced {
			t.Errorf("%s: Synchronized() = %v, want %v", tt.file, got.Synchronized(), tt.synced)
		}
	}
}

func TestParsePanoramaStatus(t *testing.T) {
	tests := map[string][]PanoramaServer{
		"show-panorama-status-connected-upgrade_assurance.xml":    {{Index: 1, Address: "1.2.3.4", Connected: true, HAState: "disconnected"}},
		"show-panorama-status-disconnected-upgrade_assurance.xml": {{Index: 1, Address: "1.2.3.4", HAState: "disconnected"}},
		"show-panorama-status-two-one-down-device_paloalto_firewall_perl.xml": {
			{Index: 1, Address: "1.1.1.1", HAState: "disconnected"},
			{Index: 2, Address: "1.1.1.2", Connected: true, HAState: "disconnected"},
		},
		"show-panorama-status-none-device_paloalto_firewall_perl.xml": nil,
	}
	for file, want := range tests {
		got, err := ParsePanoramaStatus(replyFixture(t, file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		parseEq(t, file, got.Servers, want)
		if got.Configured() != (want != nil) {
			t.Errorf("%s: Configured() = %v", file, got.Configured())
		}
	}
	bad := []byte("<response status='success'><result>some line : to break code</result></response>")
	if _, err := ParsePanoramaStatus(bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("text without a server line: err = %v, want ErrMalformed", err)
	}
}

func TestParseClocks(t *testing.T) {
	mp, err := ParseClock(replyFixture(t, "show-clock-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "show clock", mp, Clock{Plane: "management", Time: time.Date(2023, 5, 31, 11, 50, 21, 0, time.UTC), Zone: "PDT"})

	tests := map[string][]Clock{
		"show-clock-more-upgrade_assurance.xml": {{Plane: "dp0", Time: time.Date(2023, 5, 31, 11, 52, 34, 0, time.UTC), Zone: "PDT"}},
		"show-clock-more-2dp-upgrade_assurance.xml": {
			{Plane: "s3dp0", Time: time.Date(2026, 3, 22, 19, 19, 10, 0, time.UTC), Zone: "PDT"},
			{Plane: "s3dp1", Time: time.Date(2026, 3, 22, 19, 19, 10, 0, time.UTC), Zone: "PDT"},
		},
		"show-clock-more-2dp-skew-upgrade_assurance.xml": {
			{Plane: "s3dp0", Time: time.Date(2026, 3, 22, 19, 19, 10, 0, time.UTC), Zone: "PDT"},
			{Plane: "s3dp1", Time: time.Date(2026, 3, 23, 19, 19, 10, 0, time.UTC), Zone: "PDT"},
		},
	}
	for file, want := range tests {
		got, err := ParseDataplaneClocks(replyFixture(t, file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		parseEq(t, file, got, want)
	}
	for _, bad := range []string{
		`<response status="success"><result>yesterday</result></response>`,
		`<response status="success"><result>Wed Foo 31 11:50:21 PDT 2023</result></response>`,
	} {
		if _, err := ParseClock([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", bad, err)
		}
	}
	if _, err := ParseDataplaneClocks([]byte(`<response status="success"><result><member>DP dp0:</member></result></response>`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("no dataplane time: err = %v, want ErrMalformed", err)
	}
}

func TestParseDiskSpace(t *testing.T) {
	got, err := ParseDiskSpace(replyFixture(t, "show-system-disk-space-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 8 {
		t.Fatalf("%d file systems, want 8", len(got))
	}
	// "/dev/md6        23G  2.2G  20G    11% /opt/panrepo"
	parseEq(t, "panrepo", got[3], DiskPartition{Filesystem: "/dev/md6", MountedOn: PanRepoMount,
		Size: 23 << 30, Used: 2362232012 /* 2.2 GiB, rounded down */, Avail: 20 << 30, UsePercent: 11})
	// "/dev/md5       100M  0     100M   12% /opt/pancfg"
	parseEq(t, "pancfg", got[2], DiskPartition{Filesystem: "/dev/md5", MountedOn: "/opt/pancfg",
		Size: 100 << 20, Used: 0, Avail: 100 << 20, UsePercent: 12})
	// "tmpfs          1.0M  4.0K  1020K   1% /opt/pancfg/mgmt/lcaas/ssl/private"
	parseEq(t, "lcaas", got[7], DiskPartition{Filesystem: "tmpfs", MountedOn: "/opt/pancfg/mgmt/lcaas/ssl/private",
		Size: 1 << 20, Used: 4 << 10, Avail: 1020 << 10, UsePercent: 1})

	for _, file := range []string{
		"show-system-disk-space-bad-size-upgrade_assurance.xml",
		"show-system-disk-space-short-line-upgrade_assurance.xml",
	} {
		if _, err := ParseDiskSpace(replyFixture(t, file)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", file, err)
		}
	}
	// df puts a long file system name on a line of its own.
	wrapped := []byte("<response status=\"success\"><result><![CDATA[Filesystem Size Used Avail Use% Mounted on\n" +
		"/dev/mapper/very-long-volume-name\n                 23G  2.2G  20G  11% /opt/panrepo\n]]></result></response>")
	got, err = ParseDiskSpace(wrapped)
	if err != nil || len(got) != 1 || got[0].Filesystem != "/dev/mapper/very-long-volume-name" || got[0].Avail != 20<<30 {
		t.Errorf("wrapped line: %+v, %v", got, err)
	}
}

func TestParseARP(t *testing.T) {
	got, err := ParseARP(replyFixture(t, "show-arp-all-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "arp", *got, ARPTable{Max: 32000, Total: 1, Timeout: 1800, Entries: []ARPEntry{
		{Interface: "ethernet1/1", IP: "10.10.11.1", MAC: "aa:bb:cc:dd:ee:ff:ab", Port: "ethernet1/1", Status: "c", TTL: 1777},
	}})
	if _, ok := got.Has("10.10.11.1"); !ok {
		t.Error("Has(10.10.11.1) = false")
	}
	if _, ok := got.Has("10.10.11.2"); ok {
		t.Error("Has(10.10.11.2) = true")
	}
	got, err = ParseARP(replyFixture(t, "show-arp-all-empty-upgrade_assurance.xml"))
	if err != nil || got.Total != 0 || len(got.Entries) != 0 {
		t.Errorf("empty: %+v, %v", got, err)
	}
	if _, err := ParseARP(replyFixture(t, "show-arp-all-no-entries-upgrade_assurance.xml")); !errors.Is(err, ErrMalformed) {
		t.Errorf("no entries element: err = %v, want ErrMalformed", err)
	}
}

func TestParseTunnels(t *testing.T) {
	got, err := ParseTunnels(replyFixture(t, "show-running-tunnel-flow-all-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "tunnels", got, []Tunnel{{Name: "my-tunnel", ID: 1, Gateway: 1, InnerIf: "tunnel.1", OuterIf: "ethernet1/1",
		LocalIP: "1.2.3.4", PeerIP: "6.6.6.6", State: "init", Monitor: "off"}})
	if got[0].Up() {
		t.Error("a tunnel in state init is up")
	}
	got, err = ParseTunnels(replyFixture(t, "show-running-tunnel-flow-all-empty-upgrade_assurance.xml"))
	if err != nil || len(got) != 0 {
		t.Errorf("empty: %+v, %v", got, err)
	}
	if _, err := ParseTunnels([]byte(`<response status="success"><result/></response>`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("no num_ipsec: err = %v, want ErrMalformed", err)
	}
}

func TestParseJobs(t *testing.T) {
	got, err := ParseJobs(replyFixture(t, "show-jobs-all-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	// The middle job has no id: it never ran.
	parseEq(t, "jobs", got, []Job{
		{ID: 4, Type: "WildFire", Status: "FIN", Result: "OK", Progress: "2023/08/07 04:00:45",
			User: "Auto update agent", Enqueued: "2023/08/07 04:00:40"},
		{ID: 1, Type: "AutoCom", Status: "FIN", Result: "OK", Progress: "100", Enqueued: "2023/08/07 03:59:57"},
	})
	for _, j := range got {
		if !j.Finished() {
			t.Errorf("job %d not finished", j.ID)
		}
	}
	got, err = ParseJobs(replyFixture(t, "show-jobs-all-none-upgrade_assurance.xml"))
	if err != nil || len(got) != 0 {
		t.Errorf("no jobs: %+v, %v", got, err)
	}
	if (Job{Status: "ACT"}).Finished() || (Job{Status: "FIN", Queued: true}).Finished() {
		t.Error("an active or queued job counts as finished")
	}
}

func TestParseSoftware(t *testing.T) {
	got, err := ParseSoftware(replyFixture(t, "request-system-software-check-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "upgrade_assurance", got, []SoftwareImage{
		{Version: "11.0.1", Filename: "PanOS_vm-11.0.1", SizeMB: 492, Latest: true},
		{Version: "11.0.0", Filename: "PanOS_vm-11.0.0", SizeMB: 1037},
	})
	got, err = ParseSoftware(replyFixture(t, "request-system-software-check-vm-8.0-device_paloalto_firewall_perl.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "perl", got, []SoftwareImage{
		{Version: "8.0.4", Filename: "PanOS_vm-8.0.4", SizeMB: 378, Latest: true},
		{Version: "8.0.3", Filename: "PanOS_vm-8.0.3", SizeMB: 381, Downloaded: true, Current: true},
	})
	if _, err := ParseSoftware([]byte(`<response status="success"><result><sw-updates/></result></response>`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("no versions: err = %v, want ErrMalformed", err)
	}
}

func TestContentVersions(t *testing.T) {
	si, err := ParseSystemInfo(replyFixture(t, "show-system-info-pa5250-9.1.11-atav928_paloaltoapi.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "pa5250", si.Content(), ContentVersions{App: "8515-7181", Threat: "8515-7181", AV: "3967-4478",
		Wildfire: "630348-633567", URLFiltering: "20220119.20247"})
}

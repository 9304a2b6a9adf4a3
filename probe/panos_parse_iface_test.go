package probe

import (
	"testing"
)

func TestParseInterfacesFull(t *testing.T) {
	got, err := ParseInterfaces(replyFixture(t, "interface-all.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "Logical", got.Logical, []LogicalInterface{
		{Name: "ethernet1/1", Zone: "untrust", IP: "203.0.113.5/24", Forwarding: "vr:default", VSys: "1", Tag: "0"},
		{Name: "ethernet1/2", Zone: "trust", IP: "172.16.2.5/24", Forwarding: "vr:default", VSys: "1", Tag: "0"},
		{Name: "ethernet1/2.100", Zone: "dmz", IP: "172.16.100.5/24", Forwarding: "vr:default", VSys: "1", Tag: "100"},
		{Name: "ethernet1/3", Forwarding: "ha", VSys: "0", Tag: "0"},
		{Name: "loopback.1", Zone: "trust", IP: "10.255.0.1/32", Forwarding: "vr:default", VSys: "1", Tag: "0"},
		{Name: "tunnel", Forwarding: "N/A", VSys: "1", Tag: "0"},
	})
	parseEq(t, "Hardware", got.Hardware, []HardwareInterface{
		{Name: "ethernet1/1", State: "up", Up: true, Speed: "1000", Duplex: "full", MAC: "00:50:56:aa:01:01", Role: RoleDataPlane},
		{Name: "ethernet1/2", State: "up", Up: true, Speed: "1000", Duplex: "full", MAC: "00:50:56:aa:01:02", Role: RoleDataPlane},
		{Name: "ethernet1/3", State: "up", Up: true, Speed: "1000", Duplex: "full", MAC: "00:50:56:aa:01:03", Role: RoleHA},
		{Name: "ethernet1/4", State: "down", Speed: "ukn", Duplex: "ukn", MAC: "00:50:56:aa:01:04", Role: RoleUnused},
	})
}

func TestParseInterfacesRoles(t *testing.T) {
	tests := map[string]map[string]string{
		"show-interface-all-physical-ha-device_paloalto_firewall_perl.xml": {
			"ethernet1/1":  RoleDataPlane, // vwire
			"ethernet1/2":  RoleDataPlane,
			"ethernet1/11": RoleDataPlane,
			"ethernet1/12": RoleDataPlane,
			"ethernet1/13": RoleHA, // fwd ha
			"ha1":          RoleHA, // dedicated, type 2
			"ha2":          RoleHA,
			"vlan":         RoleUnused,
			"loopback":     RoleUnused,
			"tunnel":       RoleDataPlane, // tunnel.1 routes
		},
		"show-interface-all-vm-8.1.3-device_firewall_paloalto.xml": {
			"ethernet1/1": RoleDataPlane,
			"ethernet1/2": RoleDataPlane,
			"ethernet1/3": RoleDataPlane, // fwd N/A, but subinterface ethernet1/3.16 routes
			"ethernet1/4": RoleUnused,
			"ethernet1/5": RoleHA,
			"ethernet1/6": RoleDataPlane, // vwire
			"ethernet1/7": RoleDataPlane,
			"ethernet1/8": RoleDataPlane, // vlan
			"vlan":        RoleDataPlane, // vlan.32
			"loopback":    RoleDataPlane,
			"tunnel":      RoleDataPlane,
		},
		"show-interface-all-napalm_panos.xml": {
			"ethernet1/1": RoleDataPlane, // via ethernet1/1.143
			"ethernet1/2": RoleUnused,    // zone but fwd N/A
			"ethernet1/3": RoleUnused,    // no logical interface
			"ethernet1/4": RoleUnused,
		},
		"show-interface-all-ipv6-napalm_panos.xml": {
			"ethernet1/1": RoleDataPlane,
			"ethernet1/3": RoleDataPlane,
			"ethernet1/4": RoleUnused, // an address but fwd N/A
		},
		"show-interface-all-vm-device_paloalto_firewall_perl.xml": {},
	}
	for file, roles := range tests {
		t.Run(file, func(t *testing.T) {
			got, err := ParseInterfaces(replyFixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Hardware) == 0 || len(got.Logical) == 0 {
				t.Fatalf("got %d hardware and %d logical interfaces", len(got.Hardware), len(got.Logical))
			}
			seen := make(map[string]string)
			for _, hw := range got.Hardware {
				seen[hw.Name] = hw.Role
				if hw.Up != (hw.State == "up") {
					t.Errorf("%s: Up = %v with state %q", hw.Name, hw.Up, hw.State)
				}
			}
			for name, want := range roles {
				parseEq(t, name, seen[name], want)
			}
		})
	}
}

func TestParseInterfacesDetails(t *testing.T) {
	got, err := ParseInterfaces(replyFixture(t, "show-interface-all-physical-ha-device_paloalto_firewall_perl.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "ha1", got.Hardware[5], HardwareInterface{
		Name: "ha1", State: "ukn", Speed: "ukn", Duplex: "ukn", MAC: "00:1b:17:ff:ec:cb", Role: RoleHA,
	})
	parseEq(t, "ethernet1/12", got.Hardware[3], HardwareInterface{
		Name: "ethernet1/12", State: "up", Up: true, Speed: "10", Duplex: "half", MAC: "00:1b:17:c1:4e:1b", Role: RoleDataPlane,
	})
	parseEq(t, "ethernet1/1 logical", got.Logical[0], LogicalInterface{
		Name: "ethernet1/1", Forwarding: "vwire:ethernet1/2", VSys: "1", Tag: "0",
	})
}

func TestParseInterfacesEmpty(t *testing.T) {
	got, err := ParseInterfaces([]byte("<response status=\"success\"><result>\n</result></response>"))
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got.Hardware) != 0 || len(got.Logical) != 0 {
		t.Errorf("got %+v, want no interfaces", got)
	}
}

func TestParseCounters(t *testing.T) {
	tests := []struct {
		file     string
		hardware []InterfaceCounters
		logical  []InterfaceCounters
	}{
		{
			"counter-interface-all.xml",
			[]InterfaceCounters{
				{Name: "ethernet1/1", RxBytes: 918301112, TxBytes: 712401007, RxPackets: 1203399, TxPackets: 998840},
				{Name: "ethernet1/2", RxBytes: 702130009, TxBytes: 915020303, RxPackets: 990080, TxPackets: 1200377},
			},
			[]InterfaceCounters{
				{Name: "ethernet1/1", RxBytes: 918273645, TxBytes: 712398123, RxPackets: 1203344, TxPackets: 998812, RxDrops: 12},
				{Name: "ethernet1/2", RxBytes: 702111002, TxBytes: 915001771, RxPackets: 990021, TxPackets: 1200310},
			},
		},
		{
			"counter-interface-all-flat-synthetic.xml",
			[]InterfaceCounters{
				{Name: "ethernet1/1", RxBytes: 5368709999, TxBytes: 4294968000, RxPackets: 7000100, TxPackets: 6000100, RxErrors: 2},
			},
			[]InterfaceCounters{
				{Name: "ethernet1/1", RxBytes: 5368709120, TxBytes: 4294967297, RxPackets: 7000000, TxPackets: 6000000, RxErrors: 2, RxDrops: 9},
				{Name: "ethernet1/1.10", RxBytes: 100, TxBytes: 200, RxPackets: 1, TxPackets: 2},
			},
		},
		{
			"show-counter-interface-all-empty-device_paloalto_firewall_perl.xml",
			[]InterfaceCounters{}, []InterfaceCounters{},
		},
	}
	for _, tt := range tests {
		got, err := ParseCounters(replyFixture(t, tt.file))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		parseEq(t, tt.file+" Hardware", got.Hardware, tt.hardware)
		parseEq(t, tt.file+" Logical", got.Logical, tt.logical)
	}
}

func TestParseCountersPA5060(t *testing.T) {
	got, err := ParseCounters(replyFixture(t, "show-counter-interface-all-pa5060-7.1-EXCERPT-device_paloalto_firewall_perl.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range got.Logical {
		names = append(names, c.Name)
	}
	parseEq(t, "logical", names, []string{"ethernet1/1", "ethernet1/21.16", "ethernet1/22.32", "dedicated-ha2", "tunnel.65"})
	parseEq(t, "ethernet1/21.16", got.Logical[1], InterfaceCounters{
		Name: "ethernet1/21.16", RxBytes: 552889204, TxBytes: 127787709701, RxPackets: 7744309, TxPackets: 380951587, RxDrops: 4335811,
	})
	parseEq(t, "hardware", len(got.Hardware), 6)
	parseEq(t, "ethernet1/21", got.Hardware[1], InterfaceCounters{
		Name: "ethernet1/21", RxBytes: 5990804625, TxBytes: 637009418438, RxPackets: 80898377, TxPackets: 1468346136, RxErrors: 2117973,
	})
	parseEq(t, "ha2", got.Hardware[2].Name, "ha2")
}

func TestParseCountersGarbledNumbers(t *testing.T) {
	body := `<response status="success"><result><hw><entry><name>ethernet1/1</name>` +
		`<ibytes>abc</ibytes><obytes>-5</obytes><ipackets>99999999999999999999999</ipackets><opackets> 7 </opackets>` +
		`</entry></hw></result></response>`
	got, err := ParseCounters([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "hardware", got.Hardware, []InterfaceCounters{{Name: "ethernet1/1", TxPackets: 7}})
}

func TestParseSessionInfo(t *testing.T) {
	tests := map[string]SessionInfo{
		"session-info.xml": {
			Active: 1893, Max: 256000, TCP: 1474, UDP: 412, ICMP: 7, Installed: 993112, CPS: 31, Kbps: 18840, PPS: 2406,
		},
		"show-session-info-7.x-IrekRomaniuk_snap_sessioninfo.xml": {
			Active: 102448, Max: 4194302, TCP: 72139, UDP: 29570, ICMP: 114, Installed: 4142667796, CPS: 750, Kbps: 1519, PPS: 1124,
		},
		"show-session-info-upgrade_assurance.xml": {Max: 1800000},
	}
	for file, want := range tests {
		got, err := ParseSessionInfo(replyFixture(t, file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		parseEq(t, file, *got, want)
	}
}

func TestParseSystemInfo(t *testing.T) {
	tests := map[string]SystemInfo{
		"system-info.xml": {
			Hostname: "edge-fw-01", Model: "PA-VM", Family: "vm", Serial: "007200001111", SWVersion: "9.1.16",
			Uptime: "3 days, 7:41:02", MgmtIP: "192.0.2.21", AppVersion: "8701-8140", ThreatVersion: "8701-8140",
			AVVersion: "4400-4911", VMMode: "Amazon AWS", VMLicense: "VM-100",
			VMUUID: "4C4C4544-0042-3010-8057-B7C04F4E3032", VMCPUID: "AWS:0E4F0700FFFB8B1F", OperationalMode: "normal",
		},
		"show-system-info-pa5250-9.1.11-atav928_paloaltoapi.xml": {
			Hostname: "fw-sslvpn", Model: "PA-5250", Family: "5200", Serial: "013101005411", SWVersion: "9.1.11",
			Uptime: "77 days, 15:03:57", MgmtIP: "10.0.0.29", AppVersion: "8515-7181", ThreatVersion: "8515-7181",
			AVVersion: "3967-4478", OperationalMode: "normal",
		},
		"show-system-info-pa7050-9.1.12-upgrade_assurance.xml": {
			Hostname: "testfw", Model: "PA-7050", Family: "7000", Serial: "11111111111", SWVersion: "9.1.12-h3",
			Uptime: "5 days, 1:02:03", MgmtIP: "1.1.1.1", AppVersion: "8709-8047", ThreatVersion: "8709-8047",
			AVVersion: "4455-4972", OperationalMode: "normal",
		},
		"show-system-info-pa440-10.1.12-elastic_beats.xml": {
			Hostname: "PA-FIREWALL-01", Model: "PA-440", Family: "400", Serial: "012345678901", SWVersion: "10.1.12",
			Uptime: "115 days, 3:08:17", MgmtIP: "192.168.1.1", AppVersion: "9061-9857", ThreatVersion: "9061-9857",
			AVVersion: "5447-5974", OperationalMode: "normal",
		},
		"show-system-info-vm-kvm-8.1.3-device_firewall_paloalto.xml": {
			Hostname: "PA-VM", Model: "PA-VM", Family: "vm", Serial: "unknown", SWVersion: "8.1.3",
			Uptime: "0 days, 0:19:41", MgmtIP: "192.168.122.20", AppVersion: "769-4439", ThreatVersion: "0", AVVersion: "0",
			VMMode: "KVM", VMLicense: "none", VMUUID: "1D13C7E5-9BB7-4F87-8A0B-AA78135BBF56",
			VMCPUID: "KVM:E3060500FFFB8B07", OperationalMode: "normal",
		},
		"show-system-info-panorama-vm-10.0.9-demisto_content.xml": {
			Hostname: "Panorama", Model: "Panorama", Family: "pc", Serial: "111111111111111", SWVersion: "10.0.9",
			Uptime: "3 days, 5:35:41", MgmtIP: "1.1.1.1", AppVersion: "8496-7089", AVVersion: "0",
			VMMode: "VMware ESXi", VMUUID: "564D6BC3-1EC0-9848-0457-C4A4F031BF8B", VMCPUID: "ESX:C3060300FFFBAB1F",
			OperationalMode: "normal",
		},
		"show-system-info-vm-7.0.1-napalm_panos.xml": {
			Hostname: "pa1", Model: "PA-VM", Family: "vm", Serial: "unknown", SWVersion: "7.0.1",
			Uptime: "11 days, 22:09:01", MgmtIP: "10.0.0.90", AppVersion: "497-2688", ThreatVersion: "0", AVVersion: "0",
			VMMode: "VMWare ESXi", VMLicense: "none", VMUUID: "564D8B6D-7BDB-75AF-400F-B062016DC67E",
			VMCPUID: "FB060000FDFB8B07", OperationalMode: "normal",
		},
		"show-system-info-vm-truncated-upgrade_assurance.xml": {
			Hostname: "PA-VM", AppVersion: "8556-7343", OperationalMode: "normal",
		},
	}
	for file, want := range tests {
		got, err := ParseSystemInfo(replyFixture(t, file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		parseEq(t, file, *got, want)
	}
}

func TestParseInterfacesRoleRules(t *testing.T) {
	body := `<response status="success"><result>
<ifnet>
  <entry><name>ethernet1/9.5</name><fwd>vr:default</fwd></entry>
  <entry><name>ethernet1/10.7</name><fwd>ha</fwd></entry>
  <entry><name>ethernet1/11</name><fwd></fwd></entry>
  <entry><name>ethernet1/12</name><fwd>n/a</fwd></entry>
  <entry><name>ae1</name><fwd>vwire:ae2</fwd></entry>
</ifnet>
<hw>
  <entry><name>ethernet1/9</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/10</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/11</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/12</name><type>0</type><state>up</state></entry>
  <entry><name>ae1</name><type>1</type><state>up</state></entry>
  <entry><name>hsci</name><type>0</type><state>up</state></entry>
  <entry><name>dedicated-ha3</name><type>2</type><state>up</state></entry>
</hw></result></response>`
	got, err := ParseInterfaces([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	roles := make(map[string]string)
	for _, hw := range got.Hardware {
		roles[hw.Name] = hw.Role
	}
	parseEq(t, "roles", roles, map[string]string{
		"ethernet1/9":   RoleDataPlane, // only a subinterface routes
		"ethernet1/10":  RoleUnused,    // fwd ha on a subinterface does not make the port HA
		"ethernet1/11":  RoleUnused,
		"ethernet1/12":  RoleUnused,
		"ae1":           RoleDataPlane,
		"hsci":          RoleHA,
		"dedicated-ha3": RoleHA, // hw type 2
	})
}

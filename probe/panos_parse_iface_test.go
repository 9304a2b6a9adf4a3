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
		{Name: "ethernet1/1", Port: "ethernet1/1", Zone: "untrust", IP: "203.0.113.5/24", Forwarding: "vr:default", Mode: ModeLayer3, VSys: "1", Tag: "0"},
		{Name: "ethernet1/2", Port: "ethernet1/2", Zone: "trust", IP: "172.16.2.5/24", Forwarding: "vr:default", Mode: ModeLayer3, VSys: "1", Tag: "0"},
		{Name: "ethernet1/2.100", Port: "ethernet1/2", Sub: true, Zone: "dmz", IP: "172.16.100.5/24", Forwarding: "vr:default", Mode: ModeLayer3, VSys: "1", Tag: "100"},
		{Name: "ethernet1/3", Port: "ethernet1/3", Forwarding: "ha", Mode: ModeHA, VSys: "0", Tag: "0"},
		{Name: "loopback.1", Port: "loopback", Sub: true, Zone: "trust", IP: "10.255.0.1/32", Forwarding: "vr:default", Mode: ModeLayer3, VSys: "1", Tag: "0"},
		{Name: "tunnel", Port: "tunnel", Forwarding: "N/A", VSys: "1", Tag: "0"},
	})
	parseEq(t, "Hardware", got.Hardware, []HardwareInterface{
		{Name: "ethernet1/1", Kind: KindPhysical, Type: "0", State: "up", Up: true, Speed: "1000", Duplex: "full", MAC: "00:50:56:aa:01:01", Role: RoleDataPlane, Mode: ModeLayer3},
		{Name: "ethernet1/2", Kind: KindPhysical, Type: "0", State: "up", Up: true, Speed: "1000", Duplex: "full", MAC: "00:50:56:aa:01:02", Role: RoleDataPlane, Mode: ModeLayer3},
		{Name: "ethernet1/3", Kind: KindPhysical, Type: "0", State: "up", Up: true, Speed: "1000", Duplex: "full", MAC: "00:50:56:aa:01:03", Role: RoleHA, Mode: ModeHA},
		{Name: "ethernet1/4", Kind: KindPhysical, Type: "0", State: "down", Speed: "ukn", Duplex: "ukn", MAC: "00:50:56:aa:01:04", Role: RoleUnused},
	})
}

func TestParseInterfacesDetails(t *testing.T) {
	got, err := ParseInterfaces(replyFixture(t, "show-interface-all-physical-ha-device_paloalto_firewall_perl.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "ha1", got.Hardware[5], HardwareInterface{
		Name: "ha1", Kind: KindHA, Type: "2", State: "ukn", Speed: "ukn", Duplex: "ukn", MAC: "00:1b:17:ff:ec:cb",
		Role: RoleHA, Mode: ModeHA,
	})
	parseEq(t, "ethernet1/12", got.Hardware[3], HardwareInterface{
		Name: "ethernet1/12", Kind: KindPhysical, Type: "0", State: "up", Up: true, Speed: "10", Duplex: "half",
		MAC: "00:1b:17:c1:4e:1b", Role: RoleDataPlane, Mode: ModeLayer3,
	})
	parseEq(t, "tunnel", got.Hardware[9], HardwareInterface{
		Name: "tunnel", Kind: KindVirtual, Type: "6", State: "up", Up: true, Speed: "[n/a]", Duplex: "[n/a]",
		MAC: "00:1b:17:c1:4e:04", Role: RoleVirtual, Mode: ModeLayer3,
	})
	parseEq(t, "ethernet1/1 logical", got.Logical[0], LogicalInterface{
		Name: "ethernet1/1", Port: "ethernet1/1", Forwarding: "vwire:ethernet1/2", Mode: ModeVirtualWire, VSys: "1", Tag: "0",
	})
}

// A firewall whose every data-plane port is down still lists vlan,
// loopback and tunnel as up, routed through subinterfaces: none of them may
// count as a link.
func TestCarriesLinkAllPhysicalDown(t *testing.T) {
	body := `<response status="success"><result>
<ifnet>
  <entry><name>ethernet1/1</name><fwd>vr:default</fwd></entry>
  <entry><name>ethernet1/2.20</name><fwd>vwire:ethernet1/3</fwd></entry>
  <entry><name>ae1.10</name><fwd>vlan:users</fwd></entry>
  <entry><name>ethernet1/4</name><fwd>ha</fwd></entry>
  <entry><name>vlan.20</name><fwd>vr:default</fwd></entry>
  <entry><name>loopback.1</name><fwd>vr:default</fwd></entry>
  <entry><name>tunnel.10</name><fwd>vr:default</fwd></entry>
</ifnet>
<hw>
  <entry><name>ethernet1/1</name><type>0</type><state>down</state></entry>
  <entry><name>ethernet1/2</name><type>0</type><state>down</state></entry>
  <entry><name>ae1</name><type>1</type><state>down</state></entry>
  <entry><name>ethernet1/4</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/5</name><type>0</type><state>up</state></entry>
  <entry><name>ha1</name><type>2</type><state>up</state></entry>
  <entry><name>vlan</name><type>3</type><state>up</state></entry>
  <entry><name>loopback</name><type>5</type><state>up</state></entry>
  <entry><name>tunnel</name><type>6</type><state>up</state></entry>
</hw></result></response>`
	got, err := ParseInterfaces([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	links, up := 0, 0
	for _, hw := range got.Hardware {
		if hw.CarriesLink() {
			links++
			if hw.Up {
				up++
				t.Errorf("%s (%s, %s) carries a link and is up", hw.Name, hw.Kind, hw.Role)
			}
		}
	}
	parseEq(t, "data-plane links", links, 3) // ethernet1/1, ethernet1/2, ae1
	parseEq(t, "links up", up, 0)
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

// The PA-5060 recording shows why the wire counters matter: ethernet1/21
// received 1.7 TB on the wire while its data plane processed 6.0 GB.
func TestParseCountersPA5060Wire(t *testing.T) {
	got, err := ParseCounters(replyFixture(t, "show-counter-interface-all-pa5060-7.1-EXCERPT-device_paloalto_firewall_perl.xml"))
	if err != nil {
		t.Fatal(err)
	}
	e := got.Hardware[1]
	parseEq(t, "name", e.Name, "ethernet1/21")
	if !e.Wire || e.RxBytes != 1686662562746 || e.DPRxBytes != 5990804625 {
		t.Errorf("ethernet1/21 = %+v, want wire rx 1686662562746 and data-plane rx 5990804625", e)
	}
	parseEq(t, "ha2 name", got.Hardware[2].Name, "ha2") // not its interface, dedicated-ha2
}

func TestParseCountersGarbledNumbers(t *testing.T) {
	body := `<response status="success"><result><hw><entry><name>ethernet1/1</name>` +
		`<ibytes>abc</ibytes><obytes>-5</obytes><ipackets>99999999999999999999999</ipackets><opackets> 7 </opackets>` +
		`<port><rx-bytes>x</rx-bytes><tx-unicast> 9 </tx-unicast></port>` +
		`</entry></hw></result></response>`
	got, err := ParseCounters([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	parseEq(t, "hardware", got.Hardware, []InterfaceCounters{{Name: "ethernet1/1", TxPackets: 9, Wire: true}})
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
			AVVersion: "3967-4478", WildfireVersion: "630348-633567", URLVersion: "20220119.20247", OperationalMode: "normal",
		},
		"show-system-info-pa7050-9.1.12-upgrade_assurance.xml": {
			Hostname: "testfw", Model: "PA-7050", Family: "7000", Serial: "11111111111", SWVersion: "9.1.12-h3",
			Uptime: "5 days, 1:02:03", MgmtIP: "1.1.1.1", AppVersion: "8709-8047", ThreatVersion: "8709-8047",
			AVVersion: "4455-4972", WildfireVersion: "0", URLVersion: "20231204.20037", OperationalMode: "normal",
		},
		"show-system-info-pa440-10.1.12-elastic_beats.xml": {
			Hostname: "PA-FIREWALL-01", Model: "PA-440", Family: "400", Serial: "012345678901", SWVersion: "10.1.12",
			Uptime: "115 days, 3:08:17", MgmtIP: "192.168.1.1", AppVersion: "9061-9857", ThreatVersion: "9061-9857",
			AVVersion: "5447-5974", WildfireVersion: "1052689-1056966", URLVersion: "0000.00.00.000", OperationalMode: "normal",
		},
		"show-system-info-vm-kvm-8.1.3-device_firewall_paloalto.xml": {
			Hostname: "PA-VM", Model: "PA-VM", Family: "vm", Serial: "unknown", SWVersion: "8.1.3",
			Uptime: "0 days, 0:19:41", MgmtIP: "192.168.122.20", AppVersion: "769-4439", ThreatVersion: "0", AVVersion: "0",
			WildfireVersion: "0", URLVersion: "0000.00.00.000",
			VMMode: "KVM", VMLicense: "none", VMUUID: "1D13C7E5-9BB7-4F87-8A0B-AA78135BBF56",
			VMCPUID: "KVM:E3060500FFFB8B07", OperationalMode: "normal",
		},
		"show-system-info-panorama-vm-10.0.9-demisto_content.xml": {
			Hostname: "Panorama", Model: "Panorama", Family: "pc", Serial: "111111111111111", SWVersion: "10.0.9",
			Uptime: "3 days, 5:35:41", MgmtIP: "1.1.1.1", AppVersion: "8496-7089", AVVersion: "0", WildfireVersion: "0",
			VMMode: "VMware ESXi", VMUUID: "564D6BC3-1EC0-9848-0457-C4A4F031BF8B", VMCPUID: "ESX:C3060300FFFBAB1F",
			OperationalMode: "normal",
		},
		"show-system-info-vm-7.0.1-napalm_panos.xml": {
			Hostname: "pa1", Model: "PA-VM", Family: "vm", Serial: "unknown", SWVersion: "7.0.1",
			Uptime: "11 days, 22:09:01", MgmtIP: "10.0.0.90", AppVersion: "497-2688", ThreatVersion: "0", AVVersion: "0",
			WildfireVersion: "0", URLVersion: "0000.00.00.000",
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
  <entry><name>ethernet1/14</name><fwd>lr:default</fwd></entry>
  <entry><name>sdwan.901</name><fwd>vr:default</fwd></entry>
  <entry><name>ethernet1/15</name><fwd>VR:upper</fwd></entry>
</ifnet>
<hw>
  <entry><name>ethernet1/9</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/10</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/11</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/12</name><type>0</type><state>up</state></entry>
  <entry><name>ae1</name><type>1</type><state>up</state></entry>
  <entry><name>hsci</name><type>0</type><state>up</state></entry>
  <entry><name>dedicated-ha3</name><type>2</type><state>up</state></entry>
  <entry><name>ethernet1/14</name><state>up</state></entry>
  <entry><name>ethernet1/15</name><type> 0 </type><state>UP</state></entry>
  <entry><name>sdwan</name><type>10</type><state>up</state></entry>
  <entry><name>ae2</name><state>up</state><ae_member><member>ethernet1/16</member></ae_member></entry>
  <entry><name>ethernet1/16</name><type>0</type><state>up</state></entry>
  <entry><name>ethernet1/17</name><type>0</type><state>up</state><ae_member><member>ethernet1/11</member></ae_member></entry>
</hw></result></response>`
	got, err := ParseInterfaces([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		kind            PortKind
		role, mode, agg string
	}
	rows := make(map[string]row)
	for _, hw := range got.Hardware {
		rows[hw.Name] = row{hw.Kind, hw.Role, hw.Mode, hw.Aggregate}
	}
	parseEq(t, "rows", rows, map[string]row{
		"ethernet1/9":   {KindPhysical, RoleDataPlane, ModeLayer3, ""}, // only a subinterface routes
		"ethernet1/10":  {KindPhysical, RoleUnused, "", ""},            // fwd ha on a subinterface does not make the port HA
		"ethernet1/11":  {KindPhysical, RoleUnused, "", ""},            // an ae_member list on a non-ae row is ignored
		"ethernet1/12":  {KindPhysical, RoleUnused, "", ""},
		"ae1":           {KindAggregate, RoleDataPlane, ModeVirtualWire, ""},
		"hsci":          {KindHA, RoleHA, "", ""},
		"dedicated-ha3": {KindHA, RoleHA, "", ""},              // hw type 2
		"ethernet1/14":  {KindPhysical, RoleDataPlane, "", ""}, // no type: by name; a fwd form not seen: forwards, no mode
		"ethernet1/15":  {KindPhysical, RoleDataPlane, ModeLayer3, ""},
		"sdwan":         {KindOther, RoleVirtual, ModeLayer3, ""}, // type 10 forwards but is not a link we know
		"ae2":           {KindAggregate, RoleUnused, "", ""},
		"ethernet1/16":  {KindPhysical, RoleAggregateMember, "", "ae2"},
		"ethernet1/17":  {KindPhysical, RoleUnused, "", ""},
	})
	for _, hw := range got.Hardware {
		if hw.Name == "ethernet1/15" && !hw.Up {
			t.Errorf("state %q is not read as up", hw.State)
		}
	}
}

package snapshot

import (
	"testing"

	"github.com/hawatch/hawatch/probe"
)

// FuzzPredictFailover feeds PredictFailover the values that come from the
// outside world (the passive's interface address as PAN-OS prints it, ENI
// addresses, subnet CIDRs, device indexes, zones, instance types, route
// targets and the mode) in both fixture pairs. It must never panic, every
// result must stay three-valued with a problem text for each failure and
// unknown, and Ready must agree with the checks.
func FuzzPredictFailover(f *testing.F) {
	f.Add("10.0.9.11/24", "10.0.2.10", "10.0.2.0/24", 2, 2, "eu-west-1a", "m5.large", "eni-x3", "interface-move", false)
	f.Add("N/A", "", "not-a-cidr", -1, 0, "", "", "", "secondary-ip", true)
	f.Add("fe80::1/64", "10.0.2.100", "10.0.2.0/33", 99, 1, "eu-west-1b", "c5n.18xlarge", "eni-a0", "auto", true)
	f.Add("10.0.2.10", "10.0.2.10/24", "::/0", 0, -7, "x", "t3.nano", "i-a", "", false)
	f.Fuzz(func(t *testing.T, ifaceIP, eniIP, cidr string, dev, passiveDev int, az, itype, target, mode string, secondary bool) {
		w := interfaceMoveWorld()
		activeENI, passiveENI := "eni-x2", "eni-b1"
		if secondary {
			w, activeENI, passiveENI = secondaryIPWorld(), "eni-a2", "eni-b2"
		}
		readyFor(w, probe.AWSModeInterfaceMove)
		w.in.Mode = mode
		w.setIP("fw-b", "ethernet1/2", ifaceIP)
		a := w.eni(activeENI)
		a.DeviceIndex = dev
		a.PrivateIPs = append(a.PrivateIPs, probe.AWSPrivateIP{IP: eniIP})
		w.eni(passiveENI).DeviceIndex = passiveDev
		w.aws.Subnets[2].CIDR = cidr
		w.instance("i-b").AZ = az
		w.instance("i-b").InstanceType = itype
		w.aws.RouteTables[0].Routes[0].ENI = target
		v := w.predict(allowAll(mode))
		anyNo, anyUnknown := false, false
		for _, c := range v.Checks {
			checkTri(t, c.Result, c.Problem)
			if c.Result == probe.Unknown && c.Problem == "" {
				t.Fatalf("%s %s unknown without a reason", c.Check, c.Item)
			}
			anyNo = anyNo || (c.Result == probe.No && !c.Warning)
			anyUnknown = anyUnknown || c.Result == probe.Unknown
		}
		for _, r := range v.Routes {
			checkTri(t, r.Result, r.Problem)
			anyNo = anyNo || r.Result == probe.No
			anyUnknown = anyUnknown || r.Result == probe.Unknown
		}
		switch {
		case anyNo && v.Ready != probe.No, !anyNo && anyUnknown && v.Ready != probe.Unknown:
			t.Fatalf("ready %v disagrees with the checks:\n%s", v.Ready, dumpChecks(v))
		case v.Ready == probe.Yes && len(v.Checks) == 0:
			t.Fatal("ready with no checks")
		}
		if v.Reason == "" {
			t.Fatal("no reason")
		}
	})
}

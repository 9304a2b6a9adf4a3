package gate

import (
	"errors"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

func TestDataPlaneLinks(t *testing.T) {
	trustDown := func(p *snapshot.Pair) {
		p.Peers[0].Interfaces.Logical = []probe.LogicalInterface{
			{Name: "ethernet1/2", Zone: "trust", Forwarding: "vr:default", IP: "10.0.2.10/24"},
		}
		p.Peers[0].Interfaces.Hardware[1].Up, p.Peers[0].Interfaces.Hardware[1].State = false, "down"
	}
	runCheckCases(t, []checkCase{{
		name: "all up", check: CheckDataPlaneLinks, status: StatusPass,
		evidence: []string{"fw-a: 2 data-plane port(s) up (ethernet1/1, ethernet1/2)"},
	}, {
		name: "active's trust port down", mutate: trustDown,
		check: CheckDataPlaneLinks, status: StatusFail,
		evidence: []string{"fw-a: data-plane port ethernet1/2 (zone trust, vr:default) is down"}, exit: exitIs(ExitNotReady),
	}, {
		name: "passive's ports down in interface-move mode",
		mutate: func(p *snapshot.Pair) {
			for i := range 2 {
				p.Peers[1].Interfaces.Hardware[i].Up = false
			}
		},
		check: CheckDataPlaneLinks, status: StatusPass,
		evidence: []string{"fw-b is passive in interface-move mode: 2 data-plane port(s) wait for their ENIs"},
	}, {
		name: "passive's port down in secondary-ip mode",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Mode = probe.AWSModeSecondaryIP
			p.Peers[1].Interfaces.Hardware[0].Up = false
		},
		check: CheckDataPlaneLinks, status: StatusFail,
		evidence: []string{"fw-b: data-plane port ethernet1/1 is down"},
	}, {
		name: "a port in use on one peer only",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].Interfaces.Hardware[1].Role = probe.RoleUnused
		},
		check: CheckDataPlaneLinks, status: StatusFail,
		evidence: []string{"data-plane port ethernet1/2 is in use on fw-a but not on fw-b"},
	}, {
		name: "interfaces not read",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].Interfaces = nil
			p.Peers[1].Results = []probe.CommandResult{{Command: probe.CmdInterfaces, Err: errors.New("i/o timeout")}}
		},
		check: CheckDataPlaneLinks, status: StatusUnknown,
		evidence: []string{"fw-b gave no interface list: i/o timeout"}, exit: exitIs(ExitCannotTell),
	}, {
		name: "peer silent",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].Up, p.Peers[0].Err = false, errors.New("i/o timeout")
		},
		check: CheckDataPlaneLinks, status: StatusUnknown, evidence: []string{"fw-a did not answer"},
	}})
}

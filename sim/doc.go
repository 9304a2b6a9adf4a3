// Package sim simulates a PAN-OS VM-Series HA pair in AWS for hawatch's demo
// and end-to-end tests.
//
// A World holds both firewalls (peer 0 "A", hostname fw-a, and peer 1 "B",
// fw-b) and the AWS data plane behind them. Time-dependent behavior
// (reboots, counters, session aging, ENI moves) is evaluated lazily from an
// injected clock, so tests drive the world without sleeping. The PAN-OS XML
// API is served per peer over HTTPS by NewPANOSHandler and the EC2 Query API
// by package ec2sim; Start launches both on real sockets, and a Player plays
// a Scenario such as Incident against the world.
//
// The model follows a VM-Series pair on AWS: HA1 over the management
// interface, HA2 on ethernet1/1, untrust on ethernet1/2, trust on
// ethernet1/3 and an unused ethernet1/4. Some choices worth knowing:
//
//   - Upgrade installs a version; it takes effect at the next Reboot.
//   - A peer that becomes active takes over the AWS data plane (floating
//     IPs, EIP and route, or the moving ENIs), unless
//     SetAWSFollowsFailover(false).
//   - Traffic flows through the active peer only while AWS delivers it
//     there: EIP and default route on its ENIs, ENIs attached, source/dest
//     check off, links up and interface addresses inside their subnets.
//     Otherwise counters freeze and the session rates drop to zero.
//   - In interface-move mode the passive peer holds no data-plane ENI, so
//     its ethernet1/2 and ethernet1/3 report link down.
//   - Losing HA1 does not promote the passive peer (no split brain); use
//     SetHAState to build such states.
//   - Besides the ports, `show interface all` lists the virtual vlan,
//     loopback and tunnel interfaces (always up) with routed
//     sub-interfaces, and a tagged sub-interface on the trust port.
//   - Port counters (hw/entry/port rx-bytes, tx-bytes) are the wire truth
//     InterfaceBytes reports; ibytes/obytes show only the share the
//     data-plane CPU processed (WorldOptions.OffloadShare, session
//     offload).
//   - HA replies carry the management heartbeat backup; SetHeartbeatBackup
//     cuts it.
//   - WorldOptions.Profile ProfileHardware simulates an appliance with
//     dedicated ha1/ha2 ports and an aggregate ae1 instead of a VM-Series.
package sim

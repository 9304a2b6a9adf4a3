package exporter

import (
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

const namespace = "hawatch"

// descs holds the descriptor of every metric the collector emits.
type descs struct {
	all []*prometheus.Desc
	// meta describes each descriptor for the exposition cache, which
	// encodes samples without going through prometheus.Metric.
	meta map[*prometheus.Desc]*family
	// families are the families in name order, as the exposition lists
	// them.
	families []*family
	// byFamily is the descriptor of each family, by family index.
	byFamily []*prometheus.Desc

	// Exporter.
	collectorDuration, collectorSuccess, seriesDropped *prometheus.Desc

	// Polling.
	pollSuccess, pollDuration, pollInterval, lastPoll    *prometheus.Desc
	polls, pollFailures, pollsSkipped                    *prometheus.Desc
	apiRequests, apiFailures                             *prometheus.Desc
	panics                                               *prometheus.Desc
	cmdSuccess, cmdUnsupported, cmdDuration              *prometheus.Desc
	pairActivePeers, pairTraffic, peerTraffic, pairFloor *prometheus.Desc

	// Peer and HA.
	peerUp, peerInfo, haEnabled, haModeInfo             *prometheus.Desc
	haState, haPeerState, haStateDuration               *prometheus.Desc
	haPeerConnected, haLinkUp                           *prometheus.Desc
	haConfigSyncEnabled, haConfigSynced, haSessionSync  *prometheus.Desc
	haFlaps, haMaxFlaps, haCompat, haVersionInfo        *prometheus.Desc
	haSuspendedByUser, haLinkMonFailed, haPathMonFailed *prometheus.Desc

	// Sessions.
	sessionsActive, sessionsMax, sessionsCPS, throughputBytes, throughputPkts *prometheus.Desc

	// Interfaces.
	ifUp, ifInfo                             *prometheus.Desc
	ifRxBytes, ifTxBytes, ifRxPkts, ifTxPkts *prometheus.Desc
	ifDPRxBytes, ifDPTxBytes                 *prometheus.Desc
	ifRxErrors, ifRxDrops                    *prometheus.Desc

	// AWS.
	awsUp, awsThrottled, awsLastPoll, awsPolls          *prometheus.Desc
	awsRequests, awsFailures, awsModeInfo, awsInGrace   *prometheus.Desc
	failoverReady, failoverCheck                        *prometheus.Desc
	awsENIAttached, awsENIInfo, awsSrcDstCheck          *prometheus.Desc
	awsSubnetMatch, awsRouteOnActive, awsRouteBlackhole *prometheus.Desc
	awsFloatingIPOnActive, awsInstanceOK                *prometheus.Desc
}

// Help texts shared by the AWS checks.
const (
	unknownNote = "; absent when unknown"
	graceNote   = ", and AWS may take a grace period after a failover to converge"
)

// newDescs builds every descriptor.
func newDescs() *descs {
	d := &descs{meta: map[*prometheus.Desc]*family{}}
	n := func(name, help string, labels ...string) *prometheus.Desc {
		desc := prometheus.NewDesc(namespace+"_"+name, help, labels, nil)
		d.all = append(d.all, desc)
		d.meta[desc] = newFamily(namespace+"_"+name, help, labels)
		return desc
	}
	pp := []string{"pair", "peer"}
	ppl := func(more ...string) []string { return append(append([]string{}, pp...), more...) }

	d.collectorDuration = n("exporter_collector_duration_seconds", "Time a sub-collector of the exporter took to turn the snapshots into metrics in seconds.", "collector")
	d.collectorSuccess = n("exporter_collector_success", "Whether a sub-collector of the exporter completed without error.", "collector")
	d.seriesDropped = n("series_dropped_total", "Series of the pair left out of the metrics because a peer had more than the series limit, counted once per snapshot; absent until one is dropped.", "pair")

	d.pollSuccess = n("poll_success", "Whether the last poll of the pair got a reply to every command from every peer.", "pair")
	d.pollDuration = n("poll_duration_seconds", "Duration of the last poll of the pair in seconds.", "pair")
	d.pollInterval = n("poll_interval_seconds", "Configured poll interval of the pair in seconds.", "pair")
	d.lastPoll = n("last_poll_timestamp_seconds", "Unix time at which the last poll of the pair ended.", "pair")
	d.polls = n("polls_total", "Polls of the pair since hawatch started.", "pair")
	d.pollFailures = n("poll_failures_total", "Polls of the pair that were not a full success.", "pair")
	d.pollsSkipped = n("polls_skipped_total", "Polls of the pair skipped because the previous poll was still running or they could not start within one interval of their slot.", "pair")
	d.apiRequests = n("panos_api_requests_total", "PAN-OS API requests sent to the peer by command.", ppl("command")...)
	d.apiFailures = n("panos_api_request_failures_total", "PAN-OS API requests to the peer that failed, by command.", ppl("command")...)
	d.panics = n("panos_panics_total", "Panics recovered in the PAN-OS client or a parser while polling the peer; each failed its command, not the daemon.", pp...)
	d.cmdSuccess = n("panos_command_success", "Whether the command returned a valid reply in the last poll; absent for commands the peer does not support.", ppl("command")...)
	d.cmdUnsupported = n("panos_command_unsupported", "Whether the peer rejected the command as unknown in the last poll.", ppl("command")...)
	d.cmdDuration = n("panos_command_duration_seconds", "Duration of the command in the last poll in seconds.", ppl("command")...)
	d.pairActivePeers = n("pair_active_peers", "Number of peers of the pair that report an active HA state themselves.", "pair")
	d.pairTraffic = n("pair_traffic_bytes_per_second", "Data-plane bytes per second received and sent over both peers since the previous poll; absent when unknown.", "pair")
	d.peerTraffic = n("peer_traffic_bytes_per_second", "Data-plane bytes per second received and sent by one peer since the previous poll; absent when unknown.", pp...)
	d.pairFloor = n("pair_traffic_floor_bytes_per_second", "Configured traffic floor of the pair in bytes per second; absent when not set.", "pair")

	d.peerUp = n("peer_up", "Whether the peer answered the PAN-OS API in the last poll.", pp...)
	d.peerInfo = n("peer_info", "System information of the peer; the value is always 1.", ppl("hostname", "model", "serial", "sw_version")...)
	d.haEnabled = n("ha_enabled", "Whether high availability is configured on the peer.", pp...)
	d.haModeInfo = n("ha_mode_info", "HA mode of the peer; the value is always 1.", ppl("mode")...)
	d.haState = n("ha_state", "Current HA state of the peer itself, 1 for the current state and 0 for the others; unreachable peers report unknown.", ppl("state")...)
	d.haPeerState = n("ha_peer_state", "HA state of the other peer as this peer sees it, 1 for that state and 0 for the others.", ppl("state")...)
	d.haStateDuration = n("ha_state_duration_seconds", "Time the peer has been in its current HA state in seconds.", pp...)
	d.haPeerConnected = n("ha_peer_connected", "Whether the peer sees its HA peer as connected.", pp...)
	d.haLinkUp = n("ha_link_up", "Whether a configured HA link is up as seen by the peer.", ppl("link")...)
	d.haConfigSyncEnabled = n("ha_config_sync_enabled", "Whether running configuration synchronization is enabled on the peer.", pp...)
	d.haConfigSynced = n("ha_config_synchronized", "Whether the running configuration is synchronized with the HA peer; absent when synchronization is disabled.", pp...)
	d.haSessionSync = n("ha_session_sync_complete", "Whether HA session state synchronization is complete; absent when the peer does not report it.", pp...)
	d.haFlaps = n("ha_flaps", "Current HA flap count of the peer by kind.", ppl("kind")...)
	d.haMaxFlaps = n("ha_max_flaps", "Flap count at which the peer suspends itself; absent when not reported.", pp...)
	d.haCompat = n("ha_compat_match", "Whether an HA compatibility item matches the HA peer.", ppl("item")...)
	d.haVersionInfo = n("ha_version_info", "Software and content versions of the peer as reported by HA; the value is always 1.", ppl("build", "app", "threat", "av")...)
	d.haSuspendedByUser = n("ha_suspended_by_user", "Whether the peer is suspended on an operator's request.", pp...)
	d.haLinkMonFailed = n("ha_link_monitor_group_failed", "Whether an enabled HA link monitoring group meets its failure condition.", ppl("group")...)
	d.haPathMonFailed = n("ha_path_monitor_group_failed", "Whether an enabled HA path monitoring group meets its failure condition.", ppl("group")...)

	d.sessionsActive = n("sessions_active", "Number of active sessions on the peer.", pp...)
	d.sessionsMax = n("sessions_max", "Maximum number of sessions the peer supports.", pp...)
	d.sessionsCPS = n("sessions_connections_per_second", "New connections per second on the peer as it reports them.", pp...)
	d.throughputBytes = n("throughput_bytes_per_second", "Data-plane throughput of the peer in bytes per second as it reports it.", pp...)
	d.throughputPkts = n("throughput_packets_per_second", "Data-plane throughput of the peer in packets per second as it reports it.", pp...)

	d.ifUp = n("interface_up", "Whether the link of the hardware interface is up; loopback, tunnel and vlan rows are always up and never count as links.", ppl("interface")...)
	d.ifInfo = n("interface_info", "Zone, address and role (data-plane, ha, virtual, aggregate-member or unused) of an interface; the value is always 1.", ppl("interface", "zone", "ip", "role")...)
	d.ifRxBytes = n("interface_receive_bytes_total", "Bytes received on the wire by the hardware interface (port rx-bytes), or processed by the data plane where the reply has no port counters.", ppl("interface")...)
	d.ifTxBytes = n("interface_transmit_bytes_total", "Bytes sent on the wire by the hardware interface (port tx-bytes), or processed by the data plane where the reply has no port counters.", ppl("interface")...)
	d.ifRxPkts = n("interface_receive_packets_total", "Packets received on the wire by the hardware interface (port unicast, multicast and broadcast), or processed by the data plane where the reply has no port counters.", ppl("interface")...)
	d.ifTxPkts = n("interface_transmit_packets_total", "Packets sent on the wire by the hardware interface (port unicast, multicast and broadcast), or processed by the data plane where the reply has no port counters.", ppl("interface")...)
	d.ifDPRxBytes = n("interface_dataplane_receive_bytes_total", "Bytes received on the hardware interface that the data-plane processors handled (ibytes); with session offload far fewer than the wire counters.", ppl("interface")...)
	d.ifDPTxBytes = n("interface_dataplane_transmit_bytes_total", "Bytes sent on the hardware interface that the data-plane processors handled (obytes); with session offload far fewer than the wire counters.", ppl("interface")...)
	d.ifRxErrors = n("interface_receive_errors_total", "Receive errors on the hardware interface.", ppl("interface")...)
	d.ifRxDrops = n("interface_receive_drops_total", "Received packets dropped on the hardware interface.", ppl("interface")...)

	d.awsUp = n("aws_up", "Whether every EC2 call of the last AWS poll of the pair succeeded.", "pair")
	d.awsThrottled = n("aws_throttled", "Whether any EC2 call of the last AWS poll of the pair was throttled.", "pair")
	d.awsLastPoll = n("aws_last_poll_timestamp_seconds", "Unix time at which the last AWS poll of the pair ended.", "pair")
	d.awsPolls = n("aws_polls_total", "AWS polls of the pair since hawatch started.", "pair")
	d.awsRequests = n("aws_api_requests_total", "EC2 and IAM API requests by operation, summed over regions.", "operation")
	d.awsFailures = n("aws_api_request_failures_total", "EC2 and IAM API requests that failed, by operation, summed over regions.", "operation")
	d.awsModeInfo = n("aws_mode_info", "AWS HA mode in force for the pair; the value is always 1.", "pair", "mode")
	d.failoverReady = n("failover_ready", "Whether a failover of the pair would work now, as predicted from the passive peer's interfaces, the AWS data plane and IAM; absent when it cannot be told.", "pair")
	d.failoverCheck = n("failover_check_ok", "Whether one check of the failover prediction passes; absent when it cannot be told.", "pair", "check", "peer", "item")
	d.awsInGrace = n("aws_in_failover_grace", "Whether a recent failover is within the grace period in which AWS may still be converging.", "pair")
	d.awsENIAttached = n("aws_eni_attached", "Whether the ENI is attached where it should be"+unknownNote+graceNote+".", ppl("eni", "device_index")...)
	d.awsENIInfo = n("aws_eni_info", "PAN-OS interface and role an ENI maps to; the value is always 1.", ppl("eni", "interface", "role")...)
	d.awsSrcDstCheck = n("aws_source_dest_check_enabled", "Whether the source/destination check is enabled on the ENI.", ppl("eni")...)
	d.awsSubnetMatch = n("aws_interface_subnet_match", "Whether the interface address is a private IP of its ENI within the ENI subnet"+unknownNote+graceNote+".", ppl("interface", "eni")...)
	d.awsRouteOnActive = n("aws_route_on_active_peer", "Whether the route targets the active peer"+unknownNote+graceNote+".", "pair", "route_table", "destination")
	d.awsRouteBlackhole = n("aws_route_blackhole", "Whether the route is a blackhole.", "pair", "route_table", "destination")
	d.awsFloatingIPOnActive = n("aws_floating_ip_on_active_peer", "Whether the floating IP is on the active peer"+unknownNote+graceNote+".", "pair", "ip", "kind")
	d.awsInstanceOK = n("aws_instance_status_ok", "Whether the peer's EC2 instance is running with both status checks ok"+unknownNote+".", pp...)
	for _, desc := range []*prometheus.Desc{d.collectorDuration, d.collectorSuccess, d.seriesDropped, d.awsRequests, d.awsFailures} {
		d.meta[desc].atScrape = true
	}
	for _, desc := range d.all {
		d.families = append(d.families, d.meta[desc])
	}
	slices.SortFunc(d.families, func(a, b *family) int { return strings.Compare(a.name, b.name) })
	d.byFamily = make([]*prometheus.Desc, len(d.families))
	for i, f := range d.families {
		f.idx = i
	}
	for desc, f := range d.meta {
		d.byFamily[f.idx] = desc
	}
	return d
}

package ec2sim

import (
	"encoding/xml"
	"strings"
)

type describeRouteTablesResponse struct {
	XMLName xml.Name `xml:"DescribeRouteTablesResponse"`
	header
	RouteTables set[routeTableXML] `xml:"routeTableSet"`
	NextToken   string             `xml:"nextToken,omitempty"`
}

type routeTableXML struct {
	ID           string                `xml:"routeTableId"`
	VPCID        string                `xml:"vpcId"`
	OwnerID      string                `xml:"ownerId"`
	Routes       set[routeXML]         `xml:"routeSet"`
	Associations set[rtAssociationXML] `xml:"associationSet"`
	Propagating  set[struct{}]         `xml:"propagatingVgwSet"`
	Tags         set[struct{}]         `xml:"tagSet"`
}

type routeXML struct {
	DestinationCIDR     string `xml:"destinationCidrBlock,omitempty"`
	DestinationIPv6CIDR string `xml:"destinationIpv6CidrBlock,omitempty"`
	DestinationPrefix   string `xml:"destinationPrefixListId,omitempty"`
	GatewayID           string `xml:"gatewayId,omitempty"`
	InstanceID          string `xml:"instanceId,omitempty"`
	InstanceOwnerID     string `xml:"instanceOwnerId,omitempty"`
	NetworkInterfaceID  string `xml:"networkInterfaceId,omitempty"`
	State               string `xml:"state"`
	Origin              string `xml:"origin"`
}

type rtAssociationXML struct {
	ID           string `xml:"routeTableAssociationId"`
	RouteTableID string `xml:"routeTableId"`
	SubnetID     string `xml:"subnetId"`
	Main         bool   `xml:"main"`
	State        string `xml:"associationState>state"`
}

// resolvedTable is a route table with its routes as EC2 reports them at
// the moment of the call.
type resolvedTable struct {
	RouteTable
	routes []routeXML
}

var routeTableFields = fields[resolvedTable]{
	"route-table-id":               func(t resolvedTable) []string { return one(t.ID) },
	"vpc-id":                       func(t resolvedTable) []string { return one(t.VPCID) },
	"association.subnet-id":        func(t resolvedTable) []string { return t.Subnets },
	"route.instance-id":            routeValues(func(r routeXML) string { return r.InstanceID }),
	"route.gateway-id":             routeValues(func(r routeXML) string { return r.GatewayID }),
	"route.state":                  routeValues(func(r routeXML) string { return r.State }),
	"route.destination-cidr-block": routeValues(func(r routeXML) string { return r.DestinationCIDR }),
}

func routeValues(get func(routeXML) string) func(resolvedTable) []string {
	return func(t resolvedTable) []string {
		var out []string
		for _, r := range t.routes {
			out = append(out, one(get(r))...)
		}
		return out
	}
}

func describeRouteTables(w *World, r *request) (reply, *apiError) {
	fs, err := r.filters()
	if err != nil {
		return nil, err
	}
	tables := w.RouteTables
	if ids := r.list("RouteTableId"); len(ids) > 0 {
		tables, err = pick(tables, ids, func(t RouteTable) string { return t.ID },
			"InvalidRouteTableID.NotFound", "route table ID")
		if err != nil {
			return nil, err
		}
	}
	resolved := make([]resolvedTable, 0, len(tables))
	idx := newENIIndex(w)
	for _, t := range tables {
		rt := resolvedTable{RouteTable: t}
		for _, route := range t.Routes {
			rt.routes = append(rt.routes, resolveRoute(idx, route))
		}
		resolved = append(resolved, rt)
	}
	if resolved, err = apply(resolved, fs, routeTableFields); err != nil {
		return nil, err
	}
	page, next, err := paginate(r, resolved, 5, 100)
	if err != nil {
		return nil, err
	}
	out := &describeRouteTablesResponse{NextToken: next}
	for _, t := range page {
		x := routeTableXML{ID: t.ID, VPCID: t.VPCID, OwnerID: ownerID, Routes: set[routeXML]{Items: t.routes}}
		for i, s := range t.Subnets {
			x.Associations.Items = append(x.Associations.Items, rtAssociationXML{
				ID:           "rtbassoc-" + strings.TrimPrefix(t.ID, "rtb-") + string(rune('a'+i%26)),
				RouteTableID: t.ID, SubnetID: s, State: "associated",
			})
		}
		out.RouteTables.Items = append(out.RouteTables.Items, x)
	}
	return out, nil
}

// resolveRoute reports a route as EC2 does: a route to an instance names
// the instance's primary ENI, a route to an ENI names the instance it is
// attached to, and a route whose ENI is gone or detached is a blackhole.
func resolveRoute(idx eniIndex, rt Route) routeXML {
	x := routeXML{GatewayID: rt.GatewayID, NetworkInterfaceID: rt.ENI, InstanceID: rt.InstanceID,
		State: rt.State, Origin: "CreateRoute"}
	switch {
	case strings.HasPrefix(rt.Destination, "pl-"):
		x.DestinationPrefix = rt.Destination
	case strings.Contains(rt.Destination, ":"):
		x.DestinationIPv6CIDR = rt.Destination
	default:
		x.DestinationCIDR = rt.Destination
	}
	if rt.GatewayID == "local" {
		x.Origin = "CreateRouteTable"
	}
	if x.NetworkInterfaceID == "" && rt.InstanceID != "" {
		x.NetworkInterfaceID = idx.primary[rt.InstanceID]
	}
	if x.NetworkInterfaceID != "" {
		attached := idx.instanceOf[x.NetworkInterfaceID]
		x.InstanceID = attached
		if attached == "" {
			x.State = "blackhole"
		} else {
			x.InstanceOwnerID = ownerID
		}
	} else if rt.InstanceID != "" {
		x.State = "blackhole"
	}
	if x.State == "" {
		x.State = "active"
	}
	return x
}

type describeAddressesResponse struct {
	XMLName xml.Name `xml:"DescribeAddressesResponse"`
	header
	Addresses set[addressXML] `xml:"addressesSet"`
}

type addressXML struct {
	PublicIP           string `xml:"publicIp"`
	AllocationID       string `xml:"allocationId"`
	Domain             string `xml:"domain"`
	AssociationID      string `xml:"associationId,omitempty"`
	InstanceID         string `xml:"instanceId,omitempty"`
	NetworkInterfaceID string `xml:"networkInterfaceId,omitempty"`
	ENIOwnerID         string `xml:"networkInterfaceOwnerId,omitempty"`
	PrivateIP          string `xml:"privateIpAddress,omitempty"`
	PublicIPv4Pool     string `xml:"publicIpv4Pool"`
	NetworkBorderGroup string `xml:"networkBorderGroup"`
}

var addressFields = fields[addressXML]{
	"allocation-id":        func(a addressXML) []string { return one(a.AllocationID) },
	"association-id":       func(a addressXML) []string { return one(a.AssociationID) },
	"instance-id":          func(a addressXML) []string { return one(a.InstanceID) },
	"network-interface-id": func(a addressXML) []string { return one(a.NetworkInterfaceID) },
	"private-ip-address":   func(a addressXML) []string { return one(a.PrivateIP) },
	"public-ip":            func(a addressXML) []string { return one(a.PublicIP) },
	"domain":               func(a addressXML) []string { return one(a.Domain) },
}

// describeAddresses is not paginated in EC2: it always returns every match.
func describeAddresses(w *World, r *request) (reply, *apiError) {
	for _, p := range []string{"MaxResults", "NextToken"} {
		if r.form.Has(p) {
			return nil, errUnknownParameter(p)
		}
	}
	fs, err := r.filters()
	if err != nil {
		return nil, err
	}
	all := make([]addressXML, 0, len(w.Addresses))
	idx := newENIIndex(w)
	for _, a := range w.Addresses {
		all = append(all, newAddressXML(w, idx, a))
	}
	items := all
	if ids := r.list("AllocationId"); len(ids) > 0 {
		items, err = pick(items, ids, func(a addressXML) string { return a.AllocationID },
			"InvalidAllocationID.NotFound", "allocation ID")
		if err != nil {
			return nil, err
		}
	}
	if ips := r.list("PublicIp"); len(ips) > 0 {
		items, err = pick(items, ips, func(a addressXML) string { return a.PublicIP },
			"InvalidAddress.NotFound", "address")
		if err != nil {
			return nil, err
		}
	}
	if items, err = apply(items, fs, addressFields); err != nil {
		return nil, err
	}
	return &describeAddressesResponse{Addresses: set[addressXML]{Items: items}}, nil
}

// newAddressXML reports an Elastic IP; one associated with an ENI names
// the instance the ENI is attached to, as EC2 does.
func newAddressXML(w *World, idx eniIndex, a Address) addressXML {
	x := addressXML{
		PublicIP: a.PublicIP, AllocationID: a.AllocationID, Domain: "vpc", AssociationID: a.AssociationID,
		InstanceID: a.InstanceID, NetworkInterfaceID: a.ENI, PrivateIP: a.PrivateIP,
		PublicIPv4Pool: "amazon", NetworkBorderGroup: w.Region,
	}
	if a.ENI != "" {
		x.ENIOwnerID = ownerID
		x.InstanceID = idx.instanceOf[a.ENI]
	}
	return x
}

// eniIndex answers the lookups that routes and Elastic IPs make into the
// ENIs, so that a request costs one pass over them however many routes
// and addresses it reports: a world of many pairs has thousands of each.
type eniIndex struct {
	instanceOf map[string]string // ENI ID -> instance it is attached to ("" when detached)
	primary    map[string]string // instance ID -> its device-index-0 ENI
}

func newENIIndex(w *World) eniIndex {
	idx := eniIndex{instanceOf: make(map[string]string, len(w.ENIs)), primary: map[string]string{}}
	for _, e := range w.ENIs {
		idx.instanceOf[e.ID] = e.InstanceID
		if e.InstanceID != "" && e.DeviceIndex == 0 {
			idx.primary[e.InstanceID] = e.ID
		}
	}
	return idx
}

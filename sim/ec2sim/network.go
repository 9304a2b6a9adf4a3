package ec2sim

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// pick returns the items named by an ID list parameter, in the order
// asked, failing on the first ID that does not exist as EC2 does.
func pick[T any](items []T, ids []string, idOf func(T) string, code, kind string) ([]T, *apiError) {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		found := false
		for _, it := range items {
			if idOf(it) == id {
				out = append(out, it)
				found = true
				break
			}
		}
		if !found {
			return nil, errNotFound(code, kind, id)
		}
	}
	return out, nil
}

type describeNetworkInterfacesResponse struct {
	XMLName xml.Name `xml:"DescribeNetworkInterfacesResponse"`
	header
	ENIs      set[eniXML] `xml:"networkInterfaceSet"`
	NextToken string      `xml:"nextToken,omitempty"`
}

type eniXML struct {
	ID               string               `xml:"networkInterfaceId"`
	SubnetID         string               `xml:"subnetId"`
	VPCID            string               `xml:"vpcId"`
	AZ               string               `xml:"availabilityZone"`
	Description      string               `xml:"description"`
	OwnerID          string               `xml:"ownerId"`
	RequesterManaged bool                 `xml:"requesterManaged"`
	Status           string               `xml:"status"`
	MAC              string               `xml:"macAddress"`
	PrivateIP        string               `xml:"privateIpAddress,omitempty"`
	SourceDestCheck  bool                 `xml:"sourceDestCheck"`
	InterfaceType    string               `xml:"interfaceType"`
	Groups           set[struct{}]        `xml:"groupSet"`
	Attachment       *eniAttachmentXML    `xml:"attachment,omitempty"`
	Association      *eniAssociationXML   `xml:"association,omitempty"`
	PrivateIPs       set[eniPrivateIPXML] `xml:"privateIpAddressesSet"`
}

type eniAttachmentXML struct {
	AttachmentID        string `xml:"attachmentId"`
	InstanceID          string `xml:"instanceId"`
	InstanceOwnerID     string `xml:"instanceOwnerId"`
	DeviceIndex         int    `xml:"deviceIndex"`
	NetworkCardIndex    int    `xml:"networkCardIndex"`
	Status              string `xml:"status"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type eniAssociationXML struct {
	PublicIP      string `xml:"publicIp"`
	IPOwnerID     string `xml:"ipOwnerId"`
	AllocationID  string `xml:"allocationId,omitempty"`
	AssociationID string `xml:"associationId,omitempty"`
}

type eniPrivateIPXML struct {
	PrivateIP   string             `xml:"privateIpAddress"`
	Primary     bool               `xml:"primary"`
	Association *eniAssociationXML `xml:"association,omitempty"`
}

var eniFields = fields[ENI]{
	"network-interface-id":         func(e ENI) []string { return one(e.ID) },
	"attachment.instance-id":       func(e ENI) []string { return one(e.InstanceID) },
	"attachment.attachment-id":     func(e ENI) []string { return one(e.AttachmentID) },
	"attachment.status":            func(e ENI) []string { return one(e.AttachmentStatus) },
	"attachment.device-index":      func(e ENI) []string { return deviceIndex(e) },
	"addresses.private-ip-address": privateIPs,
	"private-ip-address":           privateIPs,
	"subnet-id":                    func(e ENI) []string { return one(e.SubnetID) },
	"vpc-id":                       func(e ENI) []string { return one(e.VPCID) },
	"availability-zone":            func(e ENI) []string { return one(e.AZ) },
	"status":                       func(e ENI) []string { return one(e.Status) },
	"description":                  func(e ENI) []string { return one(e.Description) },
	"mac-address":                  func(e ENI) []string { return one(e.MAC) },
	"source-dest-check":            func(e ENI) []string { return one(strconv.FormatBool(e.SourceDestCheck)) },
}

func privateIPs(e ENI) []string {
	out := make([]string, 0, len(e.PrivateIPs))
	for _, p := range e.PrivateIPs {
		out = append(out, p.IP)
	}
	return out
}

func deviceIndex(e ENI) []string {
	if e.InstanceID == "" {
		return nil
	}
	return []string{strconv.Itoa(e.DeviceIndex)}
}

func describeNetworkInterfaces(w *World, r *request) (reply, *apiError) {
	fs, err := r.filters()
	if err != nil {
		return nil, err
	}
	items := w.ENIs
	if ids := r.list("NetworkInterfaceId"); len(ids) > 0 {
		items, err = pick(items, ids, func(e ENI) string { return e.ID },
			"InvalidNetworkInterfaceID.NotFound", "networkInterface ID")
		if err != nil {
			return nil, err
		}
	}
	if items, err = apply(items, fs, eniFields); err != nil {
		return nil, err
	}
	page, next, err := paginate(r, items, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := &describeNetworkInterfacesResponse{NextToken: next}
	for _, e := range page {
		out.ENIs.Items = append(out.ENIs.Items, newENIXML(w, e))
	}
	return out, nil
}

// newENIXML renders an ENI, with the Elastic IPs associated with its
// addresses as EC2 shows them.
func newENIXML(w *World, e ENI) eniXML {
	x := eniXML{
		ID: e.ID, SubnetID: e.SubnetID, VPCID: e.VPCID, AZ: e.AZ, Description: e.Description,
		OwnerID: ownerID, Status: e.Status, MAC: e.MAC, SourceDestCheck: e.SourceDestCheck,
		InterfaceType: "interface",
	}
	if e.InstanceID != "" {
		x.Attachment = &eniAttachmentXML{
			AttachmentID:        e.AttachmentID,
			InstanceID:          e.InstanceID,
			InstanceOwnerID:     ownerID,
			DeviceIndex:         e.DeviceIndex,
			Status:              e.AttachmentStatus,
			DeleteOnTermination: e.DeviceIndex == 0 || e.DeleteOnTermination,
		}
		if x.Attachment.AttachmentID == "" {
			x.Attachment.AttachmentID = "eni-attach-" + strings.TrimPrefix(e.ID, "eni-")
		}
		if x.Attachment.Status == "" {
			x.Attachment.Status = "attached"
		}
	}
	for _, p := range e.PrivateIPs {
		px := eniPrivateIPXML{PrivateIP: p.IP, Primary: p.Primary, Association: associationOf(w, e.ID, p)}
		if p.Primary {
			x.PrivateIP = p.IP
			x.Association = px.Association
		}
		x.PrivateIPs.Items = append(x.PrivateIPs.Items, px)
	}
	return x
}

func associationOf(w *World, eni string, p PrivateIP) *eniAssociationXML {
	for _, a := range w.Addresses {
		if a.ENI == eni && (a.PrivateIP == p.IP || (a.PrivateIP == "" && p.Primary)) {
			return &eniAssociationXML{
				PublicIP: a.PublicIP, IPOwnerID: ownerID,
				AllocationID: a.AllocationID, AssociationID: a.AssociationID,
			}
		}
	}
	return nil
}

type describeSubnetsResponse struct {
	XMLName xml.Name `xml:"DescribeSubnetsResponse"`
	header
	Subnets   set[subnetXML] `xml:"subnetSet"`
	NextToken string         `xml:"nextToken,omitempty"`
}

type subnetXML struct {
	ID                  string `xml:"subnetId"`
	ARN                 string `xml:"subnetArn"`
	State               string `xml:"state"`
	VPCID               string `xml:"vpcId"`
	OwnerID             string `xml:"ownerId"`
	CIDR                string `xml:"cidrBlock"`
	AvailableIPs        int    `xml:"availableIpAddressCount"`
	AZ                  string `xml:"availabilityZone"`
	DefaultForAZ        bool   `xml:"defaultForAz"`
	MapPublicIPOnLaunch bool   `xml:"mapPublicIpOnLaunch"`
}

var subnetFields = fields[Subnet]{
	"subnet-id":         func(s Subnet) []string { return one(s.ID) },
	"vpc-id":            func(s Subnet) []string { return one(s.VPCID) },
	"availability-zone": func(s Subnet) []string { return one(s.AZ) },
	"cidr-block":        func(s Subnet) []string { return one(s.CIDR) },
	"state":             func(Subnet) []string { return one("available") },
}

func describeSubnets(w *World, r *request) (reply, *apiError) {
	fs, err := r.filters()
	if err != nil {
		return nil, err
	}
	items := w.Subnets
	if ids := r.list("SubnetId"); len(ids) > 0 {
		items, err = pick(items, ids, func(s Subnet) string { return s.ID }, "InvalidSubnetID.NotFound", "subnet ID")
		if err != nil {
			return nil, err
		}
	}
	if items, err = apply(items, fs, subnetFields); err != nil {
		return nil, err
	}
	page, next, err := paginate(r, items, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := &describeSubnetsResponse{NextToken: next}
	for _, s := range page {
		out.Subnets.Items = append(out.Subnets.Items, subnetXML{
			ID: s.ID, ARN: "arn:aws:ec2:" + w.Region + ":" + ownerID + ":subnet/" + s.ID,
			State: "available", VPCID: s.VPCID, OwnerID: ownerID, CIDR: s.CIDR,
			AvailableIPs: 250, AZ: s.AZ,
		})
	}
	return out, nil
}

package ec2sim

import (
	"encoding/hex"
	"encoding/xml"
	"slices"
	"strings"
)

// stateCodes are EC2's numeric instance state codes.
var stateCodes = map[string]int{
	"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80,
}

type describeInstancesResponse struct {
	XMLName xml.Name `xml:"DescribeInstancesResponse"`
	header
	Reservations set[reservationXML] `xml:"reservationSet"`
	NextToken    string              `xml:"nextToken,omitempty"`
}

type reservationXML struct {
	ReservationID string           `xml:"reservationId"`
	OwnerID       string           `xml:"ownerId"`
	Groups        set[struct{}]    `xml:"groupSet"`
	Instances     set[instanceXML] `xml:"instancesSet"`
}

type instanceXML struct {
	InstanceID        string       `xml:"instanceId"`
	ImageID           string       `xml:"imageId"`
	State             stateXML     `xml:"instanceState"`
	InstanceType      string       `xml:"instanceType"`
	Placement         placementXML `xml:"placement"`
	SubnetID          string       `xml:"subnetId,omitempty"`
	VPCID             string       `xml:"vpcId,omitempty"`
	PrivateIP         string       `xml:"privateIpAddress,omitempty"`
	SourceDestCheck   bool         `xml:"sourceDestCheck"`
	NetworkInterfaces set[eniXML]  `xml:"networkInterfaceSet"`
	// IAMProfile is absent for an instance without a profile, as in EC2.
	IAMProfile *instanceProfileXML `xml:"iamInstanceProfile,omitempty"`
}

// instanceProfileXML is an instance's iamInstanceProfile: its ARN and ID.
type instanceProfileXML struct {
	ARN string `xml:"arn"`
	ID  string `xml:"id"`
}

// newIAMProfileXML renders a profile ARN; the ID is derived from the
// profile's name so that it is stable across replies.
func newIAMProfileXML(arn string) *instanceProfileXML {
	if arn == "" {
		return nil
	}
	name := arn[strings.LastIndex(arn, "/")+1:]
	return &instanceProfileXML{ARN: arn, ID: "AIPA" + strings.ToUpper(hex.EncodeToString([]byte(name)))[:min(16, 2*len(name))]}
}

type stateXML struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

type placementXML struct {
	AZ      string `xml:"availabilityZone"`
	Tenancy string `xml:"tenancy"`
}

var instanceFields = fields[Instance]{
	"instance-id":         func(i Instance) []string { return one(i.ID) },
	"instance-state-name": func(i Instance) []string { return one(i.State) },
	"instance-type":       func(i Instance) []string { return one(i.InstanceType) },
	"private-ip-address":  func(i Instance) []string { return one(i.PrivateIP) },
	"subnet-id":           func(i Instance) []string { return one(i.SubnetID) },
	"vpc-id":              func(i Instance) []string { return one(i.VPCID) },
	"availability-zone":   func(i Instance) []string { return one(i.AZ) },
}

// selectInstances applies InstanceId.N and the filters. An instance ID
// that does not exist fails the call, as in EC2.
func selectInstances(w *World, r *request) ([]Instance, *apiError) {
	fs, err := r.filters()
	if err != nil {
		return nil, err
	}
	items := w.Instances
	if ids := r.list("InstanceId"); len(ids) > 0 {
		if r.form.Get("MaxResults") != "" {
			return nil, errInvalidParameterCombination(
				"The parameter instancesSet cannot be used with the parameter maxResults")
		}
		items, err = pick(items, ids, func(in Instance) string { return in.ID },
			"InvalidInstanceID.NotFound", "instance ID")
		if err != nil {
			return nil, err
		}
	}
	return apply(items, fs, instanceFields)
}

func describeInstances(w *World, r *request) (reply, *apiError) {
	items, err := selectInstances(w, r)
	if err != nil {
		return nil, err
	}
	page, next, err := paginate(r, items, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := &describeInstancesResponse{NextToken: next}
	for _, in := range page {
		x := instanceXML{
			InstanceID:      in.ID,
			ImageID:         "ami-0pavmseries0000",
			State:           stateXML{Code: stateCodes[in.State], Name: in.State},
			InstanceType:    in.InstanceType,
			Placement:       placementXML{AZ: in.AZ, Tenancy: "default"},
			SubnetID:        in.SubnetID,
			VPCID:           in.VPCID,
			PrivateIP:       in.PrivateIP,
			SourceDestCheck: true,
			IAMProfile:      newIAMProfileXML(in.IAMProfileARN),
		}
		for _, e := range w.ENIs {
			if e.InstanceID == in.ID {
				x.NetworkInterfaces.Items = append(x.NetworkInterfaces.Items, newENIXML(w, e))
			}
		}
		out.Reservations.Items = append(out.Reservations.Items, reservationXML{
			ReservationID: "r-" + in.ID,
			OwnerID:       ownerID,
			Instances:     set[instanceXML]{Items: []instanceXML{x}},
		})
	}
	return out, nil
}

type describeInstanceStatusResponse struct {
	XMLName xml.Name `xml:"DescribeInstanceStatusResponse"`
	header
	Statuses  set[instanceStatusXML] `xml:"instanceStatusSet"`
	NextToken string                 `xml:"nextToken,omitempty"`
}

type instanceStatusXML struct {
	InstanceID     string           `xml:"instanceId"`
	AZ             string           `xml:"availabilityZone"`
	State          stateXML         `xml:"instanceState"`
	SystemStatus   statusSummaryXML `xml:"systemStatus"`
	InstanceStatus statusSummaryXML `xml:"instanceStatus"`
	Events         set[struct{}]    `xml:"eventsSet"`
}

type statusSummaryXML struct {
	Status  string               `xml:"status"`
	Details set[statusDetailXML] `xml:"details"`
}

type statusDetailXML struct {
	Name   string `xml:"name"`
	Status string `xml:"status"`
}

func describeInstanceStatus(w *World, r *request) (reply, *apiError) {
	items, err := selectInstances(w, r)
	if err != nil {
		return nil, err
	}
	// Without IncludeAllInstances EC2 describes running instances only,
	// so a stopped instance simply vanishes from the reply.
	if !r.bool("IncludeAllInstances") {
		items = slices.DeleteFunc(slices.Clone(items), func(in Instance) bool { return in.State != "running" })
	}
	page, next, err := paginate(r, items, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := &describeInstanceStatusResponse{NextToken: next}
	for _, in := range page {
		out.Statuses.Items = append(out.Statuses.Items, instanceStatusXML{
			InstanceID:     in.ID,
			AZ:             in.AZ,
			State:          stateXML{Code: stateCodes[in.State], Name: in.State},
			SystemStatus:   summary(in.State, in.SystemStatus),
			InstanceStatus: summary(in.State, in.InstanceStatus),
		})
	}
	return out, nil
}

// summary is a status check as EC2 reports it: not-applicable unless the
// instance runs.
func summary(state, status string) statusSummaryXML {
	if state != "running" {
		status = "not-applicable"
	} else if status == "" {
		status = "ok"
	}
	reach := map[string]string{"ok": "passed", "impaired": "failed"}[status]
	if reach == "" {
		reach = status
	}
	s := statusSummaryXML{Status: status}
	if status != "not-applicable" {
		s.Details.Items = []statusDetailXML{{Name: "reachability", Status: reach}}
	}
	return s
}

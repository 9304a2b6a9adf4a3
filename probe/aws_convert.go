package probe

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// This file turns SDK types into the probe's plain AWS types.

func awsInstanceOf(in types.Instance) AWSInstance {
	out := AWSInstance{
		ID:        aws.ToString(in.InstanceId),
		PrivateIP: aws.ToString(in.PrivateIpAddress),
		SubnetID:  aws.ToString(in.SubnetId),
		VPCID:     aws.ToString(in.VpcId),
	}
	out.InstanceType = string(in.InstanceType)
	if in.IamInstanceProfile != nil {
		out.IAMProfileARN = aws.ToString(in.IamInstanceProfile.Arn)
	}
	if in.State != nil {
		out.State = string(in.State.Name)
	}
	if in.Placement != nil {
		out.AZ = aws.ToString(in.Placement.AvailabilityZone)
	}
	return out
}

// awsMergeStatus adds a status check reply to an instance; the state and
// zone fill in only what DescribeInstances did not say.
func awsMergeStatus(i *AWSInstance, s types.InstanceStatus) {
	if s.InstanceState != nil && i.State == "" {
		i.State = string(s.InstanceState.Name)
	}
	if i.AZ == "" {
		i.AZ = aws.ToString(s.AvailabilityZone)
	}
	if s.SystemStatus != nil {
		i.SystemStatus = string(s.SystemStatus.Status)
	}
	if s.InstanceStatus != nil {
		i.InstanceStatus = string(s.InstanceStatus.Status)
	}
}

func awsENIOf(n types.NetworkInterface) AWSENI {
	out := AWSENI{
		ID:              aws.ToString(n.NetworkInterfaceId),
		SubnetID:        aws.ToString(n.SubnetId),
		VPCID:           aws.ToString(n.VpcId),
		AZ:              aws.ToString(n.AvailabilityZone),
		Status:          string(n.Status),
		MAC:             aws.ToString(n.MacAddress),
		DeviceIndex:     -1,
		SourceDestCheck: aws.ToBool(n.SourceDestCheck),
		Description:     aws.ToString(n.Description),
	}
	if a := n.Attachment; a != nil {
		out.AttachmentStatus = string(a.Status)
		if a.Status != types.AttachmentStatusDetached {
			out.InstanceID = aws.ToString(a.InstanceId)
			out.DeviceIndex = int(aws.ToInt32(a.DeviceIndex))
			out.AttachmentID = aws.ToString(a.AttachmentId)
			out.DeleteOnTermination = aws.ToBool(a.DeleteOnTermination)
		}
	} else {
		out.AttachmentStatus = string(types.AttachmentStatusDetached)
	}
	for _, p := range n.PrivateIpAddresses {
		ip := AWSPrivateIP{IP: aws.ToString(p.PrivateIpAddress), Primary: aws.ToBool(p.Primary)}
		if p.Association != nil {
			ip.PublicIP = aws.ToString(p.Association.PublicIp)
		}
		out.PrivateIPs = append(out.PrivateIPs, ip)
	}
	return out
}

func awsSubnetOf(s types.Subnet) AWSSubnet {
	return AWSSubnet{
		ID:    aws.ToString(s.SubnetId),
		VPCID: aws.ToString(s.VpcId),
		CIDR:  aws.ToString(s.CidrBlock),
		AZ:    aws.ToString(s.AvailabilityZone),
	}
}

func awsRouteOf(r types.Route) AWSRoute {
	out := AWSRoute{
		Destination: aws.ToString(r.DestinationCidrBlock),
		ENI:         aws.ToString(r.NetworkInterfaceId),
		InstanceID:  aws.ToString(r.InstanceId),
		State:       string(r.State),
	}
	if out.Destination == "" {
		out.Destination = aws.ToString(r.DestinationIpv6CidrBlock)
	}
	if out.Destination == "" {
		out.Destination = aws.ToString(r.DestinationPrefixListId)
	}
	return out
}

func awsAddressOf(a types.Address) AWSAddress {
	return AWSAddress{
		AllocationID:  aws.ToString(a.AllocationId),
		PublicIP:      aws.ToString(a.PublicIp),
		AssociationID: aws.ToString(a.AssociationId),
		ENI:           aws.ToString(a.NetworkInterfaceId),
		PrivateIP:     aws.ToString(a.PrivateIpAddress),
		InstanceID:    aws.ToString(a.InstanceId),
	}
}

// awsFilter builds one EC2 filter.
func awsFilter(name string, values []string) []types.Filter {
	return []types.Filter{{Name: aws.String(name), Values: values}}
}

package sim

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/PaloAltoNetworks/pango"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestTLSVerifiesWithCAFile(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	pemData, err := os.ReadFile(s.CAFile())
	if err != nil {
		t.Fatalf("read ca file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatal("ca file holds no certificate")
	}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		_, port, _ := net.SplitHostPort(s.PeerAddr(PeerA))
		conn, err := tls.Dial("tcp", net.JoinHostPort(host, port), &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
		if err != nil {
			t.Errorf("verify %s with the ca file: %v", host, err)
			continue
		}
		if p := conn.ConnectionState().NegotiatedProtocol; p == "h2" {
			t.Errorf("negotiated %q, want HTTP/1.1", p)
		}
		conn.Close()
	}

	// Without the CA the certificate does not verify.
	_, err = (&http.Client{Timeout: 5 * time.Second}).Get(s.PeerURL(PeerA))
	var uerr x509.UnknownAuthorityError
	if !errors.As(err, &uerr) {
		t.Errorf("without the ca: err %v, want an unknown authority", err)
	}
}

func TestPangoClient(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	host, port, _ := net.SplitHostPort(s.PeerAddr(PeerB))
	p, _ := strconv.Atoi(port)
	user, pass := s.Credentials()
	fw := &pango.Firewall{Client: pango.Client{
		Hostname:          host,
		Port:              uint(p),
		Username:          user,
		Password:          pass,
		VerifyCertificate: true,
		Logging:           pango.LogQuiet,
		Transport:         &http.Transport{TLSClientConfig: s.CA().ClientConfig()},
	}}
	if err := fw.Initialize(); err != nil {
		t.Fatalf("pango initialize: %v", err)
	}
	if fw.ApiKey != s.APIKey() || fw.SystemInfo["hostname"] != "fw-b" || fw.Version.String() != DefaultVersion {
		t.Errorf("pango learnt key %q, system %v, version %s", fw.ApiKey, fw.SystemInfo["hostname"], fw.Version)
	}
	var ans struct {
		State string `xml:"result>group>local-info>state"`
	}
	if _, err := fw.Op(cmdHAAll, "", nil, &ans); err != nil || ans.State != StatePassive {
		t.Errorf("pango op: state %q, err %v", ans.State, err)
	}
	want := map[string]int{CmdKeygen: 1, CmdSystem: 1, CmdPlugins: 1, CmdHA: 1}
	if got := s.World().Requests(PeerB); !equalCounts(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
	if _, err := fw.Op("<show><bogus/></show>", "", nil, nil); err == nil {
		t.Error("pango op of an unknown command succeeded")
	}
}

func TestEC2Endpoint(t *testing.T) {
	s, _ := testSim(t, WorldOptions{Mode: AWSModeInterfaceMove})
	client := ec2.New(ec2.Options{
		Region:           Region,
		BaseEndpoint:     aws.String(s.EC2URL()),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDSIMTEST", "secret", ""),
		RetryMaxAttempts: 1,
	})
	out, err := client.DescribeNetworkInterfaces(t.Context(), &ec2.DescribeNetworkInterfacesInput{})
	if err != nil {
		t.Fatalf("describe network interfaces: %v", err)
	}
	if len(out.NetworkInterfaces) != 6 {
		t.Errorf("%d ENIs, want 6", len(out.NetworkInterfaces))
	}
	s.World().SetUnauthorized("DescribeRouteTables")
	if _, err := client.DescribeRouteTables(t.Context(), &ec2.DescribeRouteTablesInput{}); err == nil {
		t.Error("unauthorized action succeeded")
	}
	s.World().SetUnauthorized()
	tables, err := client.DescribeRouteTables(t.Context(), &ec2.DescribeRouteTablesInput{})
	if err != nil {
		t.Fatalf("describe route tables: %v", err)
	}
	var found bool
	for _, table := range tables.RouteTables {
		for _, r := range table.Routes {
			if aws.ToString(r.DestinationCidrBlock) == "0.0.0.0/0" && aws.ToString(r.NetworkInterfaceId) == SharedENIID(DeviceTrust) {
				found = r.State == types.RouteStateActive
			}
		}
	}
	if !found {
		t.Error("no active default route via the shared trust ENI")
	}
}

func TestCloseStopsListeners(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	for _, addr := range []string{s.PeerAddr(PeerA), s.PeerAddr(PeerB), s.ec2Addr} {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			t.Errorf("%s still accepts connections", addr)
		}
	}
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/golang/protobuf/proto"
	"github.com/rancher/kontainer-engine/types"
	"github.com/sirupsen/logrus"
)

// Driver implements types.DriverServer directly (no Unimplemented embedding): a method added
// to the proto without being added here breaks the build, which is what the tests want.
type Driver struct {
	cloud *cloud
}

// state is what the driver keeps in ClusterInfo.metadata["state"]. Its keys are spelled like
// options on purpose: on Update the host flattens them into the options the user did not give.
type state struct {
	ClusterID      string   `json:"cluster-id"`
	Region         string   `json:"region"`
	NodeCount      int64    `json:"node-count"`
	ZoneCount      int64    `json:"zone-count"`
	LoggingEnabled bool     `json:"logging-enabled"`
	Subnets        []string `json:"subnets"`
	Resources      []string `json:"resources"`
	RestoredFrom   string   `json:"restored-from,omitempty"`
}

const (
	stateKey      = "state"
	providerIDKey = "provider-id"
)

var versionPattern = regexp.MustCompile(`^1\.[0-9]+\.[0-9]+$`)

func checkVersion(v string) error {
	if !versionPattern.MatchString(v) {
		return fmt.Errorf("kubernetes version %q is not offered by the fake cloud (want 1.MINOR.PATCH)", v)
	}
	return nil
}

func checkNodeCount(n, max int64) error {
	if n < 1 || n > max {
		return fmt.Errorf("node count %d is out of range 1..%d", n, max)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func pem(kind, body string) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("-----BEGIN %s-----\n%s\n-----END %s-----\n", kind, base64.StdEncoding.EncodeToString([]byte(body)), kind)))
}

func endpointOf(id string) string { return fmt.Sprintf("https://%s.fake-cloud.test:6443", id) }

func stateOf(info *types.ClusterInfo) (*state, error) {
	if info == nil || info.Metadata[stateKey] == "" {
		return nil, errors.New("cluster info carries no driver state: was the cluster made by this driver?")
	}
	st := &state{}
	if err := json.Unmarshal([]byte(info.Metadata[stateKey]), st); err != nil {
		return nil, fmt.Errorf("cannot read driver state: %v", err)
	}
	return st, nil
}

func (d *Driver) clusterOf(info *types.ClusterInfo) (*state, *cloudCluster, error) {
	st, err := stateOf(info)
	if err != nil {
		return nil, nil, err
	}
	cc, err := d.cloud.get(st.ClusterID)
	if err != nil {
		return nil, nil, err
	}
	return st, cc, nil
}

// infoOf builds the ClusterInfo returned to the host; base is the info the host sent (kept).
func infoOf(base *types.ClusterInfo, st *state, cc *cloudCluster) *types.ClusterInfo {
	info := &types.ClusterInfo{}
	if base != nil {
		info = proto.Clone(base).(*types.ClusterInfo)
	}
	if info.Metadata == nil {
		info.Metadata = map[string]string{}
	}
	encoded, _ := json.Marshal(st)
	info.Metadata[stateKey] = string(encoded)
	info.Metadata[providerIDKey] = "fakecloud://" + st.Region + "/" + st.ClusterID
	info.Version = cc.Version
	info.NodeCount = cc.NodeCount
	return info
}

func (d *Driver) GetDriverCreateOptions(ctx context.Context, _ *types.Empty) (*types.DriverFlags, error) {
	return createFlags(), nil
}

func (d *Driver) GetDriverUpdateOptions(ctx context.Context, _ *types.Empty) (*types.DriverFlags, error) {
	return updateFlags(), nil
}

func (d *Driver) Create(ctx context.Context, req *types.CreateRequest) (*types.ClusterInfo, error) {
	if req.DriverOptions == nil {
		return nil, errors.New("create: the request carries no driver options")
	}
	cfg, err := readCreateConfig(req.DriverOptions)
	if err != nil {
		return nil, err
	}
	// Careless, as some drivers in the wild are: a secret in the log. Hosts must redact it.
	logrus.Infof("authenticating to the fake cloud with access key %s", cfg.AccessKey)

	// A retried create carries the stored info; the old kontainer-engine host also copies the
	// stored metadata into the string options, and some drivers read it from there.
	var st *state
	var cc *cloudCluster
	resumed := false
	prev := req.ClusterInfo
	if prev == nil || prev.Metadata[stateKey] == "" {
		if s := getString(req.DriverOptions, stateKey); s != "" {
			prev = &types.ClusterInfo{Metadata: map[string]string{stateKey: s}}
		}
	}
	if prev != nil && prev.Metadata[stateKey] != "" {
		if st, cc, err = d.clusterOf(prev); err != nil {
			return nil, fmt.Errorf("resuming the create of %s: %v", cfg.Name, err)
		}
		resumed = true
		logrus.Infof("resuming the create of %s (cloud cluster %s, phase %s)", cfg.Name, cc.ID, cc.Phase)
	} else {
		id := fmt.Sprintf("gx-%s-%s", cfg.Name, randomHex(3))
		st = &state{
			ClusterID: id, Region: cfg.Region, NodeCount: cfg.NodeCount, ZoneCount: 2,
			LoggingEnabled: cfg.EnableLogging,
			Subnets:        []string{"10.0.0.0/24", "10.0.1.0/24"},
			Resources:      []string{"vpc-" + id, "subnet-" + id + "-a", "subnet-" + id + "-b"},
		}
		cc = &cloudCluster{
			ID: id, Name: cfg.Name, Region: cfg.Region, Phase: "provisioning", Version: cfg.KubernetesVersion,
			NodeCount: cfg.NodeCount, MaxNodes: cfg.MaxNodes, Description: cfg.Description, Tags: cfg.Tags,
			Resources: append([]string{}, st.Resources...),
		}
		if cfg.AutoUpgrade != nil {
			cc.AutoUpgrade = *cfg.AutoUpgrade
		}
		if err := d.cloud.put(cc); err != nil {
			return nil, err
		}
		logrus.Infof("made resources %v for %s", st.Resources, cfg.Name)
	}

	if cfg.SimulateQuotaError && !resumed {
		info := infoOf(nil, st, cc)
		info.Status = "PROVISIONING_FAILED"
		info.CreateError = fmt.Sprintf("quota exceeded: %d %s nodes requested in %s after making %s", cfg.NodeCount, cfg.InstanceType, cfg.Region, st.Resources[0])
		logrus.Errorf("create of %s failed after making resources: %s", cfg.Name, info.CreateError)
		return info, nil
	}

	cc.Phase = "running"
	for _, r := range []string{"cluster-" + cc.ID, "nodepool-" + cc.ID} {
		if !contains(cc.Resources, r) {
			cc.Resources = append(cc.Resources, r)
		}
	}
	st.Resources = append([]string{}, cc.Resources...)
	if err := d.cloud.put(cc); err != nil {
		return nil, err
	}
	info := infoOf(nil, st, cc)
	info.Endpoint = endpointOf(cc.ID)
	info.Username = "admin"
	info.Password = "pw-" + cc.ID
	info.RootCaCertificate = pem("CERTIFICATE", "ca of "+cc.ID)
	info.ClientCertificate = pem("CERTIFICATE", "admin of "+cc.ID)
	info.ClientKey = pem("RSA PRIVATE KEY", "key of "+cc.ID)
	info.Status = "PROVISIONED"
	logrus.Infof("cluster %s is running at %s", cfg.Name, info.Endpoint)
	return info, nil
}

func (d *Driver) PostCheck(ctx context.Context, info *types.ClusterInfo) (*types.ClusterInfo, error) {
	st, cc, err := d.clusterOf(info)
	if err != nil {
		return nil, err
	}
	if cc.Phase != "running" {
		return nil, fmt.Errorf("cluster %s is %s, not running", cc.ID, cc.Phase)
	}
	if info.Endpoint != endpointOf(cc.ID) {
		return nil, fmt.Errorf("post-check: endpoint %q is not the endpoint of cluster %s", info.Endpoint, cc.ID)
	}
	out := infoOf(info, st, cc)
	out.ServiceAccountToken = "sa-token-" + cc.ID
	return out, nil
}

func (d *Driver) Update(ctx context.Context, req *types.UpdateRequest) (*types.ClusterInfo, error) {
	if req.DriverOptions == nil {
		return nil, errors.New("update: the request carries no driver options")
	}
	st, cc, err := d.clusterOf(req.ClusterInfo)
	if err != nil {
		return nil, err
	}
	o := req.DriverOptions
	if n := getIntPtr(o, "nodeCount", "node-count"); n != nil && *n != cc.NodeCount {
		if err := checkNodeCount(*n, cc.MaxNodes); err != nil {
			return nil, err
		}
		logrus.Infof("resizing %s from %d to %d nodes", cc.ID, cc.NodeCount, *n)
		cc.NodeCount = *n
	}
	if v := getString(o, "kubernetes-version", "kubernetesVersion"); v != "" && v != cc.Version {
		if err := checkVersion(v); err != nil {
			return nil, err
		}
		cc.Version = v
	}
	if a := getBoolPtr(o, "autoUpgrade", "auto-upgrade"); a != nil {
		cc.AutoUpgrade = *a
	}
	for _, tag := range getStringSlice(o, "add-tags", "addTags") {
		if !contains(cc.Tags, tag) {
			cc.Tags = append(cc.Tags, tag)
		}
	}
	if err := d.cloud.put(cc); err != nil {
		return nil, err
	}
	st.NodeCount = cc.NodeCount
	return infoOf(req.ClusterInfo, st, cc), nil
}

func (d *Driver) Remove(ctx context.Context, info *types.ClusterInfo) (*types.Empty, error) {
	st, err := stateOf(info)
	if err != nil {
		logrus.Warnf("remove: %v; nothing to delete", err)
		return &types.Empty{}, nil
	}
	existed, err := d.cloud.remove(st.ClusterID)
	if err != nil {
		return nil, err
	}
	if existed {
		logrus.Infof("deleted cluster %s and its resources %v", st.ClusterID, st.Resources)
	} else {
		logrus.Warnf("cluster %s was already gone", st.ClusterID)
	}
	return &types.Empty{}, nil
}

func (d *Driver) SetVersion(ctx context.Context, req *types.SetVersionRequest) (*types.Empty, error) {
	_, cc, err := d.clusterOf(req.Info)
	if err != nil {
		return nil, err
	}
	if req.Version == nil {
		return nil, errors.New("set version: no version given")
	}
	if err := checkVersion(req.Version.Version); err != nil {
		return nil, err
	}
	cc.Version = req.Version.Version
	return &types.Empty{}, d.cloud.put(cc)
}

func (d *Driver) GetNodeCount(ctx context.Context, info *types.ClusterInfo) (*types.NodeCount, error) {
	_, cc, err := d.clusterOf(info)
	if err != nil {
		return nil, err
	}
	return &types.NodeCount{Count: cc.NodeCount}, nil
}

func (d *Driver) SetNodeCount(ctx context.Context, req *types.SetNodeCountRequest) (*types.Empty, error) {
	_, cc, err := d.clusterOf(req.Info)
	if err != nil {
		return nil, err
	}
	if req.Count == nil {
		return nil, errors.New("set node count: no count given")
	}
	if err := checkNodeCount(req.Count.Count, cc.MaxNodes); err != nil {
		return nil, err
	}
	cc.NodeCount = req.Count.Count
	return &types.Empty{}, d.cloud.put(cc)
}

func (d *Driver) GetCapabilities(ctx context.Context, _ *types.Empty) (*types.Capabilities, error) {
	return &types.Capabilities{Capabilities: capabilities()}, nil
}

func (d *Driver) ETCDSave(ctx context.Context, req *types.SaveETCDSnapshotRequest) (*types.Empty, error) {
	_, cc, err := d.clusterOf(req.Info)
	if err != nil {
		return nil, err
	}
	if req.SnapshotName == "" {
		return nil, errors.New("snapshot name is required")
	}
	if _, ok := cc.Snapshots[req.SnapshotName]; ok {
		return nil, fmt.Errorf("snapshot %q already exists", req.SnapshotName)
	}
	cc.Snapshots[req.SnapshotName] = snapshot{Version: cc.Version, NodeCount: cc.NodeCount}
	return &types.Empty{}, d.cloud.put(cc)
}

// restore is shared by both builds; only the reply type of ETCDRestore differs.
func (d *Driver) restore(req *types.RestoreETCDSnapshotRequest) (*types.ClusterInfo, error) {
	st, cc, err := d.clusterOf(req.Info)
	if err != nil {
		return nil, err
	}
	snap, ok := cc.Snapshots[req.SnapshotName]
	if !ok {
		return nil, fmt.Errorf("snapshot %q not found", req.SnapshotName)
	}
	cc.Version, cc.NodeCount = snap.Version, snap.NodeCount
	if err := d.cloud.put(cc); err != nil {
		return nil, err
	}
	st.NodeCount = cc.NodeCount
	st.RestoredFrom = req.SnapshotName
	return infoOf(req.Info, st, cc), nil
}

func (d *Driver) GetK8SCapabilities(ctx context.Context, _ *types.DriverOptions) (*types.K8SCapabilities, error) {
	return &types.K8SCapabilities{
		L4LoadBalancer: &types.LoadBalancerCapabilities{
			Enabled: true, Provider: "fake-lb", ProtocolsSupported: []string{"TCP", "UDP"}, HealthCheckSupported: true,
		},
		IngressControllers: []*types.IngressCapabilities{
			{IngressProvider: "fake-ingress", CustomDefaultBackend: true},
		},
		NodePoolScalingSupported: true,
		NodePortRange:            "30000-32767",
	}, nil
}

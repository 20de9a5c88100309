//go:build !oldproto
// +build !oldproto

package main

// This file is the driver as built against the current proto.

import (
	"context"
	"fmt"

	"github.com/rancher/kontainer-engine/types"
	"github.com/sirupsen/logrus"
)

const driverName = "goexample"

// Capability numbers: 0 GetVersion, 1 SetVersion, 2 GetClusterSize, 3 SetClusterSize, 4 EtcdBackup.
func capabilities() map[int64]bool {
	return map[int64]bool{0: true, 1: true, 2: true, 3: true, 4: true}
}

func (d *Driver) GetVersion(ctx context.Context, info *types.ClusterInfo) (*types.KubernetesVersion, error) {
	_, cc, err := d.clusterOf(info)
	if err != nil {
		return nil, err
	}
	return &types.KubernetesVersion{Version: cc.Version}, nil
}

func (d *Driver) ETCDRestore(ctx context.Context, req *types.RestoreETCDSnapshotRequest) (*types.ClusterInfo, error) {
	return d.restore(req)
}

func (d *Driver) ETCDRemoveSnapshot(ctx context.Context, req *types.RemoveETCDSnapshotRequest) (*types.Empty, error) {
	_, cc, err := d.clusterOf(req.Info)
	if err != nil {
		return nil, err
	}
	if _, ok := cc.Snapshots[req.SnapshotName]; !ok {
		return nil, fmt.Errorf("snapshot %q not found", req.SnapshotName)
	}
	delete(cc.Snapshots, req.SnapshotName)
	return &types.Empty{}, d.cloud.put(cc)
}

func (d *Driver) RemoveLegacyServiceAccount(ctx context.Context, info *types.ClusterInfo) (*types.Empty, error) {
	logrus.Info("no legacy service account to remove")
	return &types.Empty{}, nil
}

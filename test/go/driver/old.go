//go:build oldproto
// +build oldproto

package main

// This file is the driver as built against an older proto: no ETCDRemoveSnapshot, no
// RemoveLegacyServiceAccount, and ETCDRestore returns Empty.

import (
	"context"

	"github.com/rancher/kontainer-engine/types"
)

const driverName = "goold"

// Capability numbers: 0 GetVersion, 1 SetVersion, 2 GetClusterSize, 3 SetClusterSize, 4 EtcdBackup.
// This driver can read but not change version and size: a mix that shows a shifted number.
func capabilities() map[int64]bool {
	return map[int64]bool{0: true, 1: false, 2: true, 3: false, 4: true}
}

// GetVersion "returns nothing", as stubs in older drivers do: grpc-go then puts INTERNAL
// "proto: Marshal called with nil" on the wire, which hosts read as "not implemented".
func (d *Driver) GetVersion(ctx context.Context, info *types.ClusterInfo) (*types.KubernetesVersion, error) {
	return nil, nil
}

func (d *Driver) ETCDRestore(ctx context.Context, req *types.RestoreETCDSnapshotRequest) (*types.Empty, error) {
	if _, err := d.restore(req); err != nil {
		return nil, err
	}
	return &types.Empty{}, nil
}

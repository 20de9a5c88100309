package main

import (
	"fmt"

	"github.com/rancher/kontainer-engine/types"
)

// The flag types of the protocol, as Rancher's types package names them.
const (
	StringType      = "string"
	BoolType        = "bool"
	BoolPointerType = "boolPtr"
	IntType         = "int"
	IntPointerType  = "intPtr"
	StringSliceType = "stringSlice"
)

// createFlags declares every option type, with defaults the two ways drivers in the wild do it:
// the `default` message (current) and `value` as a string (older drivers).
func createFlags() *types.DriverFlags {
	return &types.DriverFlags{Options: map[string]*types.Flag{
		"region": {
			Type: StringType, Usage: "Region of the fake cloud to create the cluster in",
			Default: &types.Default{DefaultString: "us-east-1"},
		},
		"instance-type": {
			// older style: default only in Flag.value
			Type: StringType, Usage: "Instance type of the worker nodes", Value: "standard-2",
		},
		"access-key": {
			Type: StringType, Usage: "API key of the fake cloud account", Password: true,
		},
		"kubernetes-version": {
			// both: Rancher and ke take `default` over `value` when `default` is present
			Type: StringType, Usage: "Kubernetes version of the control plane", Value: "1.28.0",
			Default: &types.Default{DefaultString: "1.29.1"},
		},
		"description": {
			Type: StringType, Usage: "Free text shown in the fake cloud console",
		},
		"node-count": {
			Type: IntType, Usage: "Number of worker nodes", Default: &types.Default{DefaultInt: 3},
		},
		"max-nodes": {
			// older style: an int default written as a string in Flag.value
			Type: IntType, Usage: "Largest node count the cluster may scale to", Value: "10",
		},
		"disk-size-gb": {
			Type: IntPointerType, Usage: "Disk size of each node in GB (cloud default when not set)",
		},
		"max-pods": {
			Type: IntPointerType, Usage: "Pods per node", Default: &types.Default{DefaultInt: 110},
		},
		"enable-logging": {
			Type: BoolType, Usage: "Ship control plane logs", Default: &types.Default{DefaultBool: true},
		},
		"enable-alpha-features": {
			Type: BoolType, Usage: "Turn on alpha Kubernetes features",
		},
		"private-nodes": {
			Type: BoolPointerType, Usage: "Give nodes no public address (cloud default when not set)",
		},
		"auto-upgrade": {
			Type: BoolPointerType, Usage: "Upgrade the control plane automatically",
			Default: &types.Default{DefaultBool: true},
		},
		"monitoring": {
			// older style: a bool default written as a string in Flag.value
			Type: BoolPointerType, Usage: "Install the cloud's monitoring agent", Value: "true",
		},
		"tags": {
			Type: StringSliceType, Usage: "Tags (key=value) put on every resource",
			Default: &types.Default{DefaultStringSlice: &types.StringSlice{Value: []string{"team=ke", "env=test"}}},
		},
		"zones": {
			Type: StringSliceType, Usage: "Zones to spread the nodes over",
		},
		"simulate-quota-error": {
			Type: BoolType, Usage: "Make the cloud resources, then fail the first create with a quota error",
		},
	}}
}

func updateFlags() *types.DriverFlags {
	return &types.DriverFlags{Options: map[string]*types.Flag{
		"node-count":         {Type: IntType, Usage: "Number of worker nodes"},
		"kubernetes-version": {Type: StringType, Usage: "Kubernetes version to upgrade the control plane to"},
		"auto-upgrade":       {Type: BoolPointerType, Usage: "Upgrade the control plane automatically"},
		"add-tags":           {Type: StringSliceType, Usage: "Tags (key=value) to add to every resource"},
		"description":        {Type: StringType, Usage: "Free text shown in the fake cloud console"},
	}}
}

// The getters below behave like Rancher's drivers/options.GetValueFromDriverOptions: the first
// key present wins, so drivers list both spellings of a key (in either order).

func getString(o *types.DriverOptions, keys ...string) string {
	if o != nil {
		for _, k := range keys {
			if v, ok := o.StringOptions[k]; ok {
				return v
			}
		}
	}
	return ""
}

func getBool(o *types.DriverOptions, keys ...string) bool {
	if v := getBoolPtr(o, keys...); v != nil {
		return *v
	}
	return false
}

func getBoolPtr(o *types.DriverOptions, keys ...string) *bool {
	if o != nil {
		for _, k := range keys {
			if v, ok := o.BoolOptions[k]; ok {
				return &v
			}
		}
	}
	return nil
}

func getInt(o *types.DriverOptions, keys ...string) int64 {
	if v := getIntPtr(o, keys...); v != nil {
		return *v
	}
	return 0
}

func getIntPtr(o *types.DriverOptions, keys ...string) *int64 {
	if o != nil {
		for _, k := range keys {
			if v, ok := o.IntOptions[k]; ok {
				return &v
			}
		}
	}
	return nil
}

func getStringSlice(o *types.DriverOptions, keys ...string) []string {
	if o != nil {
		for _, k := range keys {
			if v, ok := o.StringSliceOptions[k]; ok && v != nil {
				return v.Value
			}
		}
	}
	return nil
}

// createConfig is what Create understands of its options.
type createConfig struct {
	Name, DisplayName, Region, InstanceType, AccessKey, KubernetesVersion, Description string
	NodeCount, MaxNodes                                                                int64
	DiskSizeGb, MaxPods                                                                *int64
	EnableLogging, EnableAlphaFeatures, SimulateQuotaError                             bool
	PrivateNodes, AutoUpgrade, Monitoring                                              *bool
	Tags, Zones                                                                        []string
}

var regions = []string{"us-east-1", "us-west-2", "eu-west-1"}

func readCreateConfig(o *types.DriverOptions) (*createConfig, error) {
	c := &createConfig{
		Name:        getString(o, "name"),
		DisplayName: getString(o, "displayName", "display-name"),
		Region:      getString(o, "region"),
		// like several real drivers, this one reads some options under the camelCase key only
		InstanceType:        getString(o, "instanceType"),
		AccessKey:           getString(o, "accessKey", "access-key"),
		KubernetesVersion:   getString(o, "kubernetes-version", "kubernetesVersion"),
		Description:         getString(o, "description"),
		NodeCount:           getInt(o, "nodeCount", "node-count"),
		MaxNodes:            getInt(o, "max-nodes", "maxNodes"),
		DiskSizeGb:          getIntPtr(o, "diskSizeGb", "disk-size-gb"),
		MaxPods:             getIntPtr(o, "max-pods", "maxPods"),
		EnableLogging:       getBool(o, "enableLogging", "enable-logging"),
		EnableAlphaFeatures: getBool(o, "enable-alpha-features", "enableAlphaFeatures"),
		SimulateQuotaError:  getBool(o, "simulateQuotaError", "simulate-quota-error"),
		PrivateNodes:        getBoolPtr(o, "private-nodes", "privateNodes"),
		AutoUpgrade:         getBoolPtr(o, "autoUpgrade", "auto-upgrade"),
		Monitoring:          getBoolPtr(o, "monitoring"),
		Tags:                getStringSlice(o, "tags"),
		Zones:               getStringSlice(o, "zones"),
	}
	if c.MaxNodes == 0 {
		// Rancher's API ignores Flag.value for int options: treat "not given" as the cloud's limit
		c.MaxNodes = 100
	}
	if c.Name == "" {
		return nil, fmt.Errorf("cluster name is required")
	}
	if c.AccessKey == "" {
		return nil, fmt.Errorf("access-key is required: the fake cloud refuses anonymous requests")
	}
	if !contains(regions, c.Region) {
		return nil, fmt.Errorf("region %q is not offered by the fake cloud (offered: %v)", c.Region, regions)
	}
	if c.InstanceType == "" {
		return nil, fmt.Errorf("instance type is required")
	}
	if err := checkVersion(c.KubernetesVersion); err != nil {
		return nil, err
	}
	if err := checkNodeCount(c.NodeCount, c.MaxNodes); err != nil {
		return nil, err
	}
	return c, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

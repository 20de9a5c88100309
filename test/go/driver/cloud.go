package main

import (
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"sync"
)

// cloud is the simulated cloud: one JSON file per cluster in a directory, so that it outlives
// the driver process (a host starts a new driver process for each command).
type cloud struct {
	dir    string
	mu     sync.Mutex
	memory map[string]*cloudCluster
}

type snapshot struct {
	Version   string `json:"version"`
	NodeCount int64  `json:"nodeCount"`
}

type cloudCluster struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Region      string              `json:"region"`
	Phase       string              `json:"phase"`
	Version     string              `json:"version"`
	NodeCount   int64               `json:"nodeCount"`
	MaxNodes    int64               `json:"maxNodes"`
	AutoUpgrade bool                `json:"autoUpgrade"`
	Description string              `json:"description"`
	Tags        []string            `json:"tags"`
	Resources   []string            `json:"resources"`
	Snapshots   map[string]snapshot `json:"snapshots"`
}

func newCloud(dir string) *cloud {
	return &cloud{dir: dir, memory: map[string]*cloudCluster{}}
}

func (c *cloud) file(id string) string { return filepath.Join(c.dir, id+".json") }

func (c *cloud) get(id string) (*cloudCluster, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" {
		if cc, ok := c.memory[id]; ok {
			copied := *cc
			return &copied, nil
		}
		return nil, fmt.Errorf("cluster %s not found in the fake cloud", id)
	}
	data, err := ioutil.ReadFile(c.file(id))
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("cluster %s not found in the fake cloud", id)
	} else if err != nil {
		return nil, err
	}
	cc := &cloudCluster{}
	if err := json.Unmarshal(data, cc); err != nil {
		return nil, fmt.Errorf("fake cloud record of %s is corrupt: %v", id, err)
	}
	return cc, nil
}

func (c *cloud) put(cc *cloudCluster) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cc.Snapshots == nil {
		cc.Snapshots = map[string]snapshot{}
	}
	if c.dir == "" {
		copied := *cc
		c.memory[cc.ID] = &copied
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(cc, "", "  ")
	if err != nil {
		return err
	}
	tmp := c.file(cc.ID) + ".tmp"
	if err := ioutil.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, c.file(cc.ID))
}

// remove reports whether the cluster existed.
func (c *cloud) remove(id string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" {
		_, ok := c.memory[id]
		delete(c.memory, id)
		return ok, nil
	}
	err := os.Remove(c.file(id))
	if os.IsNotExist(err) {
		return false, nil
	}
	return err == nil, err
}

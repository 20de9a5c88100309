// Generated from proto/drivers.proto by scripts/proto-json.js (run by `npm run build`): do not edit.
import type {INamespace} from 'protobufjs'

const json = {
  "nested": {
    "types": {
      "options": {
        "go_package": "types"
      },
      "nested": {
        "Driver": {
          "methods": {
            "Create": {
              "requestType": "CreateRequest",
              "responseType": "ClusterInfo"
            },
            "Update": {
              "requestType": "UpdateRequest",
              "responseType": "ClusterInfo"
            },
            "PostCheck": {
              "requestType": "ClusterInfo",
              "responseType": "ClusterInfo"
            },
            "Remove": {
              "requestType": "ClusterInfo",
              "responseType": "Empty"
            },
            "GetDriverCreateOptions": {
              "requestType": "Empty",
              "responseType": "DriverFlags"
            },
            "GetDriverUpdateOptions": {
              "requestType": "Empty",
              "responseType": "DriverFlags"
            },
            "GetVersion": {
              "requestType": "ClusterInfo",
              "responseType": "KubernetesVersion"
            },
            "SetVersion": {
              "requestType": "SetVersionRequest",
              "responseType": "Empty"
            },
            "GetNodeCount": {
              "requestType": "ClusterInfo",
              "responseType": "NodeCount"
            },
            "SetNodeCount": {
              "requestType": "SetNodeCountRequest",
              "responseType": "Empty"
            },
            "GetCapabilities": {
              "requestType": "Empty",
              "responseType": "Capabilities"
            },
            "ETCDSave": {
              "requestType": "SaveETCDSnapshotRequest",
              "responseType": "Empty"
            },
            "ETCDRestore": {
              "requestType": "RestoreETCDSnapshotRequest",
              "responseType": "ClusterInfo"
            },
            "ETCDRemoveSnapshot": {
              "requestType": "RemoveETCDSnapshotRequest",
              "responseType": "Empty"
            },
            "GetK8sCapabilities": {
              "requestType": "DriverOptions",
              "responseType": "K8sCapabilities"
            },
            "RemoveLegacyServiceAccount": {
              "requestType": "ClusterInfo",
              "responseType": "Empty"
            }
          }
        },
        "Empty": {
          "fields": {}
        },
        "DriverFlags": {
          "fields": {
            "options": {
              "keyType": "string",
              "type": "Flag",
              "id": 1
            }
          }
        },
        "Flag": {
          "fields": {
            "type": {
              "type": "string",
              "id": 1
            },
            "usage": {
              "type": "string",
              "id": 2
            },
            "value": {
              "type": "string",
              "id": 3
            },
            "default": {
              "type": "Default",
              "id": 4
            },
            "password": {
              "type": "bool",
              "id": 5
            }
          }
        },
        "Default": {
          "fields": {
            "defaultBool": {
              "type": "bool",
              "id": 1
            },
            "defaultString": {
              "type": "string",
              "id": 2
            },
            "defaultStringSlice": {
              "type": "StringSlice",
              "id": 3
            },
            "defaultInt": {
              "type": "int64",
              "id": 4
            }
          }
        },
        "DriverOptions": {
          "fields": {
            "bool_options": {
              "keyType": "string",
              "type": "bool",
              "id": 1
            },
            "string_options": {
              "keyType": "string",
              "type": "string",
              "id": 2
            },
            "int_options": {
              "keyType": "string",
              "type": "int64",
              "id": 3
            },
            "string_slice_options": {
              "keyType": "string",
              "type": "StringSlice",
              "id": 4
            }
          }
        },
        "StringSlice": {
          "fields": {
            "value": {
              "rule": "repeated",
              "type": "string",
              "id": 1
            }
          }
        },
        "ClusterInfo": {
          "fields": {
            "version": {
              "type": "string",
              "id": 1
            },
            "service_account_token": {
              "type": "string",
              "id": 2
            },
            "endpoint": {
              "type": "string",
              "id": 3
            },
            "username": {
              "type": "string",
              "id": 4
            },
            "password": {
              "type": "string",
              "id": 5
            },
            "root_ca_certificate": {
              "type": "string",
              "id": 6
            },
            "client_certificate": {
              "type": "string",
              "id": 7
            },
            "client_key": {
              "type": "string",
              "id": 8
            },
            "node_count": {
              "type": "int64",
              "id": 9
            },
            "metadata": {
              "keyType": "string",
              "type": "string",
              "id": 10
            },
            "status": {
              "type": "string",
              "id": 11
            },
            "create_error": {
              "type": "string",
              "id": 12
            }
          }
        },
        "KubernetesVersion": {
          "fields": {
            "version": {
              "type": "string",
              "id": 1
            }
          }
        },
        "NodeCount": {
          "fields": {
            "count": {
              "type": "int64",
              "id": 1
            }
          }
        },
        "Capabilities": {
          "fields": {
            "capabilities": {
              "keyType": "int64",
              "type": "bool",
              "id": 1
            }
          }
        },
        "CreateRequest": {
          "fields": {
            "driver_options": {
              "type": "DriverOptions",
              "id": 1
            },
            "cluster_info": {
              "type": "ClusterInfo",
              "id": 2
            }
          }
        },
        "UpdateRequest": {
          "fields": {
            "cluster_info": {
              "type": "ClusterInfo",
              "id": 1
            },
            "driver_options": {
              "type": "DriverOptions",
              "id": 2
            }
          }
        },
        "SetVersionRequest": {
          "fields": {
            "info": {
              "type": "ClusterInfo",
              "id": 1
            },
            "version": {
              "type": "KubernetesVersion",
              "id": 2
            }
          }
        },
        "SetNodeCountRequest": {
          "fields": {
            "info": {
              "type": "ClusterInfo",
              "id": 1
            },
            "count": {
              "type": "NodeCount",
              "id": 2
            }
          }
        },
        "SaveETCDSnapshotRequest": {
          "fields": {
            "info": {
              "type": "ClusterInfo",
              "id": 1
            },
            "driver_options": {
              "type": "DriverOptions",
              "id": 2
            },
            "SnapshotName": {
              "type": "string",
              "id": 3
            }
          }
        },
        "RestoreETCDSnapshotRequest": {
          "fields": {
            "info": {
              "type": "ClusterInfo",
              "id": 1
            },
            "driver_options": {
              "type": "DriverOptions",
              "id": 2
            },
            "SnapshotName": {
              "type": "string",
              "id": 3
            }
          }
        },
        "RemoveETCDSnapshotRequest": {
          "fields": {
            "info": {
              "type": "ClusterInfo",
              "id": 1
            },
            "driver_options": {
              "type": "DriverOptions",
              "id": 2
            },
            "SnapshotName": {
              "type": "string",
              "id": 3
            }
          }
        },
        "K8sCapabilities": {
          "fields": {
            "L4LoadBalancer": {
              "type": "LoadBalancerCapabilities",
              "id": 1
            },
            "IngressControllers": {
              "rule": "repeated",
              "type": "IngressCapabilities",
              "id": 2
            },
            "NodePoolScalingSupported": {
              "type": "bool",
              "id": 3
            },
            "NodePortRange": {
              "type": "string",
              "id": 4
            }
          }
        },
        "LoadBalancerCapabilities": {
          "fields": {
            "Enabled": {
              "type": "bool",
              "id": 1
            },
            "Provider": {
              "type": "string",
              "id": 2
            },
            "ProtocolsSupported": {
              "rule": "repeated",
              "type": "string",
              "id": 3
            },
            "HealthCheckSupported": {
              "type": "bool",
              "id": 4
            }
          }
        },
        "IngressCapabilities": {
          "fields": {
            "IngressProvider": {
              "type": "string",
              "id": 1
            },
            "CustomDefaultBackend": {
              "type": "bool",
              "id": 2
            }
          }
        }
      }
    }
  }
}

// protobufjs's own toJSON() output; its INamespace type does not describe map fields (keyType)
export const DRIVERS_PROTO_JSON = json as unknown as INamespace

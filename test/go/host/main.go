// Command ke-go-host does with a cluster driver what Rancher does, with grpc-go and the Go code
// generated from the shared proto, and prints what it saw as JSON on stdout.
//
//	ke-go-host run < config.json   start a driver, wait for it, create/post-check/.../remove it
//	ke-go-host describe            print the service and messages as the generated Go code sees them
//
// config.json:
//
//	{"command": ["/path/to/driver"] (the port is appended as the last argument),
//	 "env": {"K": "V"}, "name": "c1", "driverName": "sample",
//	 "config": {camelCaseField: value, ...}          what a user put into Rancher's API
//	 "updateConfig": {...}                            optional: fields changed for an Update
//	 "failConfig": {...}                              optional: config of a second create that must fail
//	 "readyTimeoutMs": 30000}
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"net"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/golang/protobuf/jsonpb"
	"github.com/golang/protobuf/proto"
	"github.com/golang/protobuf/protoc-gen-go/descriptor"
	"github.com/rancher/kontainer-engine/types"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func main() {
	if len(os.Args) != 2 {
		fail("usage: ke-go-host run|describe")
	}
	var out interface{}
	var err error
	switch os.Args[1] {
	case "describe":
		out, err = describe()
	case "run":
		out, err = run()
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "ke-go-host: "+msg)
	os.Exit(1)
}

// ---------------------------------------------------------------------------------------------
// describe

type fieldDesc struct {
	Number int32  `json:"number"`
	Type   string `json:"type"`
}

type methodDesc struct {
	Path   string `json:"path"`
	Input  string `json:"input"`
	Output string `json:"output"`
}

type description struct {
	Package  string                          `json:"package"`
	Service  string                          `json:"service"`
	Methods  map[string]methodDesc           `json:"methods"`
	Messages map[string]map[string]fieldDesc `json:"messages"`
}

func describe() (*description, error) {
	gz := proto.FileDescriptor("drivers.proto")
	if gz == nil {
		return nil, fmt.Errorf("drivers.proto is not registered by the generated code")
	}
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := ioutil.ReadAll(r)
	if err != nil {
		return nil, err
	}
	fd := &descriptor.FileDescriptorProto{}
	if err := proto.Unmarshal(raw, fd); err != nil {
		return nil, err
	}
	short := func(t string) string { return strings.TrimPrefix(t, "."+fd.GetPackage()+".") }
	d := &description{Package: fd.GetPackage(), Methods: map[string]methodDesc{}, Messages: map[string]map[string]fieldDesc{}}
	if len(fd.Service) != 1 {
		return nil, fmt.Errorf("expected one service, found %d", len(fd.Service))
	}
	svc := fd.Service[0]
	d.Service = svc.GetName()
	for _, m := range svc.Method {
		d.Methods[m.GetName()] = methodDesc{
			Path:  "/" + fd.GetPackage() + "." + svc.GetName() + "/" + m.GetName(),
			Input: short(m.GetInputType()), Output: short(m.GetOutputType()),
		}
	}
	for _, msg := range fd.MessageType {
		maps := map[string]string{}
		for _, nested := range msg.NestedType {
			if nested.GetOptions().GetMapEntry() {
				maps["."+fd.GetPackage()+"."+msg.GetName()+"."+nested.GetName()] = "map<" + typeName(nested.Field[0], short) + ", " + typeName(nested.Field[1], short) + ">"
			}
		}
		fields := map[string]fieldDesc{}
		for _, f := range msg.Field {
			t := typeName(f, short)
			if m, ok := maps[f.GetTypeName()]; ok {
				t = m
			} else if f.GetLabel() == descriptor.FieldDescriptorProto_LABEL_REPEATED {
				t = "repeated " + t
			}
			fields[f.GetName()] = fieldDesc{Number: f.GetNumber(), Type: t}
		}
		d.Messages[msg.GetName()] = fields
	}
	return d, nil
}

func typeName(f *descriptor.FieldDescriptorProto, short func(string) string) string {
	if f.GetTypeName() != "" {
		return short(f.GetTypeName())
	}
	return strings.ToLower(strings.TrimPrefix(f.GetType().String(), "TYPE_"))
}

// ---------------------------------------------------------------------------------------------
// run

type config struct {
	Command        []string               `json:"command"`
	Env            map[string]string      `json:"env"`
	Name           string                 `json:"name"`
	DriverName     string                 `json:"driverName"`
	Config         map[string]interface{} `json:"config"`
	UpdateConfig   map[string]interface{} `json:"updateConfig"`
	FailConfig     map[string]interface{} `json:"failConfig"`
	ReadyTimeoutMs int                    `json:"readyTimeoutMs"`
}

// step is one call's outcome: the reply (proto3 JSON, .proto field names) or the gRPC error.
type step struct {
	OK           json.RawMessage `json:"ok,omitempty"`
	Error        *callError      `json:"error,omitempty"`
	Unrecognized []string        `json:"unrecognized"`
}

type callError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type report struct {
	Port          int                               `json:"port"`
	ReadyAttempts int                               `json:"readyAttempts"`
	CreateOptions *step                             `json:"createOptions"`
	UpdateOptions *step                             `json:"updateOptions"`
	Schema        map[string]map[string]interface{} `json:"schema"`
	SchemaError   string                            `json:"schemaError,omitempty"`
	Sent          json.RawMessage                   `json:"sent"`
	Create        *step                             `json:"create"`
	PostCheck     *step                             `json:"postCheck,omitempty"`
	Capabilities  *step                             `json:"capabilities"`
	Version       *step                             `json:"version,omitempty"`
	NodeCount     *step                             `json:"nodeCount,omitempty"`
	UpdateSent    json.RawMessage                   `json:"updateSent,omitempty"`
	Update        *step                             `json:"update,omitempty"`
	Remove        *step                             `json:"remove,omitempty"`
	FailSent      json.RawMessage                   `json:"failSent,omitempty"`
	FailCreate    *step                             `json:"failCreate,omitempty"`
	DriverExited  string                            `json:"driverExited,omitempty"`
	DriverLog     string                            `json:"driverLog"`
}

var marshaler = jsonpb.Marshaler{OrigName: true, EmitDefaults: true}

func toJSON(m proto.Message) json.RawMessage {
	if m == nil || reflect.ValueOf(m).IsNil() {
		return json.RawMessage("null")
	}
	s, err := marshaler.MarshalToString(m)
	if err != nil {
		b, _ := json.Marshal(map[string]string{"marshalError": err.Error()})
		return b
	}
	return json.RawMessage(s)
}

func outcome(m proto.Message, err error) *step {
	if err != nil {
		st := status.Convert(err)
		return &step{Error: &callError{Code: st.Code().String(), Message: st.Message()}, Unrecognized: []string{}}
	}
	return &step{OK: toJSON(m), Unrecognized: unrecognized(reflect.ValueOf(m), "reply")}
}

// logBuffer keeps the driver's output (Rancher streams it into its own log).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func run() (*report, error) {
	cfg := &config{}
	if err := json.NewDecoder(os.Stdin).Decode(cfg); err != nil {
		return nil, fmt.Errorf("reading config from stdin: %v", err)
	}
	if len(cfg.Command) == 0 || cfg.Name == "" {
		return nil, fmt.Errorf("config needs command and name")
	}
	if cfg.ReadyTimeoutMs == 0 {
		cfg.ReadyTimeoutMs = 30000
	}

	port, err := freePort()
	if err != nil {
		return nil, err
	}
	rep := &report{Port: port}
	logs := &logBuffer{}
	cmd := exec.Command(cfg.Command[0], append(append([]string{}, cfg.Command[1:]...), strconv.Itoa(port))...)
	cmd.Env = os.Environ()
	for k, v := range cfg.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting driver: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		err := cmd.Wait()
		if err != nil {
			rep.DriverExited = err.Error()
		} else {
			rep.DriverExited = "exit status 0"
		}
		close(exited)
	}()
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		rep.DriverLog = logs.String()
	}()

	// Rancher's wait: call GetCapabilities until it answers, backing off. (First wait for the
	// port to accept connections, so that grpc's reconnect back-off does not slow the test down.)
	deadline := time.Now().Add(time.Duration(cfg.ReadyTimeoutMs) * time.Millisecond)
	address := fmt.Sprintf("127.0.0.1:%d", port)
	delay := 5 * time.Millisecond
	pause := func(err error) error {
		select {
		case <-exited:
			return fmt.Errorf("driver exited before it answered (%s): %s", rep.DriverExited, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("driver did not answer GetCapabilities within %d ms: %v", cfg.ReadyTimeoutMs, err)
		}
		time.Sleep(delay)
		if delay < 200*time.Millisecond {
			delay *= 2
		}
		return nil
	}
	for {
		rep.ReadyAttempts++
		c, err := net.DialTimeout("tcp", address, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if err := pause(err); err != nil {
			return nil, err
		}
	}
	conn, err := grpc.Dial(address, grpc.WithInsecure())
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := types.NewDriverClient(conn)
	for {
		rep.ReadyAttempts++
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := client.GetCapabilities(ctx, &types.Empty{}, grpc.WaitForReady(true))
		cancel()
		if err == nil {
			break
		}
		if err := pause(err); err != nil {
			return nil, err
		}
	}

	call := func() (context.Context, context.CancelFunc) {
		ctx := metadata.AppendToOutgoingContext(context.Background(), "log-id", "go-host-"+cfg.Name)
		return context.WithTimeout(ctx, 60*time.Second)
	}

	ctx, cancel := call()
	flags, err := client.GetDriverCreateOptions(ctx, &types.Empty{})
	cancel()
	rep.CreateOptions = outcome(flags, err)
	if err != nil {
		return rep, nil
	}
	ctx, cancel = call()
	uflags, err := client.GetDriverUpdateOptions(ctx, &types.Empty{})
	cancel()
	rep.UpdateOptions = outcome(uflags, err)

	schema, err := rancherSchema(flags, cfg.DriverName)
	if err != nil {
		rep.SchemaError = err.Error()
		return rep, nil
	}
	rep.Schema = schema

	opts := apiOptions(schema, cfg.Config, cfg.Name)
	rep.Sent = toJSON(opts)
	ctx, cancel = call()
	info, err := client.Create(ctx, &types.CreateRequest{DriverOptions: opts, ClusterInfo: &types.ClusterInfo{}})
	cancel()
	rep.Create = outcome(info, err)

	if err == nil && info.CreateError == "" {
		ctx, cancel = call()
		checked, err := client.PostCheck(ctx, info)
		cancel()
		rep.PostCheck = outcome(checked, err)
		if err == nil {
			info = checked
		}
	}

	ctx, cancel = call()
	caps, err := client.GetCapabilities(ctx, &types.Empty{})
	cancel()
	rep.Capabilities = outcome(caps, err)

	if info != nil {
		ctx, cancel = call()
		v, err := client.GetVersion(ctx, info)
		cancel()
		rep.Version = outcome(v, err)
		ctx, cancel = call()
		n, err := client.GetNodeCount(ctx, info)
		cancel()
		rep.NodeCount = outcome(n, err)

		if cfg.UpdateConfig != nil {
			// Rancher sends the whole config again, with the changed fields.
			merged := map[string]interface{}{}
			for k, v := range cfg.Config {
				merged[k] = v
			}
			for k, v := range cfg.UpdateConfig {
				merged[k] = v
			}
			uopts := apiOptions(schema, merged, cfg.Name)
			rep.UpdateSent = toJSON(uopts)
			ctx, cancel = call()
			updated, err := client.Update(ctx, &types.UpdateRequest{ClusterInfo: info, DriverOptions: uopts})
			cancel()
			rep.Update = outcome(updated, err)
			if err == nil {
				info = updated
			}
		}

		ctx, cancel = call()
		empty, err := client.Remove(ctx, info)
		cancel()
		rep.Remove = outcome(empty, err)
	}

	if cfg.FailConfig != nil {
		fopts := apiOptions(schema, cfg.FailConfig, cfg.Name+"-fail")
		rep.FailSent = toJSON(fopts)
		ctx, cancel = call()
		finfo, err := client.Create(ctx, &types.CreateRequest{DriverOptions: fopts, ClusterInfo: &types.ClusterInfo{}})
		cancel()
		rep.FailCreate = outcome(finfo, err)
	}
	return rep, nil
}

// camel is Rancher's field name for a declared option: split on "-", upper-case the first letter
// of every later part.
func camel(name string) string {
	parts := strings.Split(name, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// rancherSchema turns DriverFlags into the fields of Rancher's API schema, as Rancher does.
func rancherSchema(flags *types.DriverFlags, driverName string) (map[string]map[string]interface{}, error) {
	schema := map[string]map[string]interface{}{}
	names := make([]string, 0, len(flags.Options))
	for name := range flags.Options {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		flag := flags.Options[name]
		if strings.Contains(name, "--") || strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-") {
			return nil, fmt.Errorf("option %q has an empty name part", name)
		}
		field := map[string]interface{}{"create": true, "update": true, "description": flag.Usage, "dynamicField": true}
		switch flag.Type {
		case "string":
			field["type"] = "string"
			if flag.Password {
				field["type"] = "password"
			}
			field["default"] = flag.Value
			if flag.Default != nil {
				field["default"] = flag.Default.DefaultString
			}
		case "int", "intPtr":
			field["type"] = "int"
			if flag.Default != nil {
				field["default"] = flag.Default.DefaultInt
			}
		case "bool", "boolPtr":
			field["type"] = "boolean"
			if flag.Default != nil {
				field["default"] = flag.Default.DefaultBool
			}
		case "stringSlice":
			field["type"] = "array[string]"
			if flag.Default != nil {
				value := []string{}
				if flag.Default.DefaultStringSlice != nil {
					value = append(value, flag.Default.DefaultStringSlice.Value...)
				}
				field["default"] = value
			}
		default:
			return nil, fmt.Errorf("option %q has unknown type %q", name, flag.Type)
		}
		schema[camel(name)] = field
	}
	schema["driverName"] = map[string]interface{}{"type": "string", "create": true, "update": true, "default": driverName}
	return schema, nil
}

// apiOptions is what Rancher sends: the API object (user values over schema defaults, camelCase
// keys), plus name and displayName, flattened by JSON type into the four option maps.
func apiOptions(schema map[string]map[string]interface{}, user map[string]interface{}, name string) *types.DriverOptions {
	data := map[string]interface{}{}
	for field, def := range schema {
		if d, ok := def["default"]; ok {
			data[field] = d
		}
	}
	for k, v := range user {
		data[k] = v
	}
	// Through the API everything is JSON: numbers are float64, lists []interface{}.
	encoded, _ := json.Marshal(data)
	data = map[string]interface{}{}
	_ = json.Unmarshal(encoded, &data)
	data["name"] = name
	data["displayName"] = name

	opts := &types.DriverOptions{
		BoolOptions: map[string]bool{}, StringOptions: map[string]string{},
		IntOptions: map[string]int64{}, StringSliceOptions: map[string]*types.StringSlice{},
	}
	flatten(data, opts)
	return opts
}

// flatten is Rancher's: JSON type picks the map; labels/tags maps become k=v lists; other nested
// maps are flattened into top-level keys.
func flatten(data map[string]interface{}, opts *types.DriverOptions) {
	for k, v := range data {
		switch value := v.(type) {
		case float64:
			opts.IntOptions[k] = int64(value)
		case string:
			opts.StringOptions[k] = value
		case bool:
			opts.BoolOptions[k] = value
		case []interface{}:
			list := []string{}
			for _, e := range value {
				if s, ok := e.(string); ok {
					list = append(list, s)
				}
			}
			opts.StringSliceOptions[k] = &types.StringSlice{Value: list}
		case map[string]interface{}:
			if k == "labels" || k == "tags" {
				list := []string{}
				for lk, lv := range value {
					list = append(list, fmt.Sprintf("%s=%v", lk, lv))
				}
				sort.Strings(list)
				opts.StringSliceOptions[k] = &types.StringSlice{Value: list}
			} else {
				flatten(value, opts)
			}
		}
	}
}

// unrecognized lists the messages in a reply that carried field numbers the proto does not declare.
func unrecognized(v reflect.Value, path string) []string {
	found := []string{}
	switch v.Kind() {
	case reflect.Interface, reflect.Ptr:
		if v.IsNil() {
			return found
		}
		return unrecognized(v.Elem(), path)
	case reflect.Struct:
		if f := v.FieldByName("XXX_unrecognized"); f.IsValid() && f.Len() > 0 {
			found = append(found, path)
		}
		for i := 0; i < v.NumField(); i++ {
			if strings.HasPrefix(v.Type().Field(i).Name, "XXX_") {
				continue
			}
			found = append(found, unrecognized(v.Field(i), path+"."+v.Type().Field(i).Name)...)
		}
	case reflect.Map:
		for _, key := range v.MapKeys() {
			found = append(found, unrecognized(v.MapIndex(key), fmt.Sprintf("%s[%v]", path, key))...)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Ptr {
			for i := 0; i < v.Len(); i++ {
				found = append(found, unrecognized(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return found
}

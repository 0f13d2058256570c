package serverless

import (
	"regexp"
	"strings"
	"time"
)

var (
	// Function keys: the Framework's schema (functions: patternProperties ^[a-zA-Z0-9-_]+$).
	functionKeyPattern = regexp.MustCompile(`^[a-zA-Z0-9-_]+$`)
	// Lambda: "Keys start with a letter and are at least two characters. Keys only contain
	// letters, numbers, and the underscore character (_)."
	envNamePattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]+$`)
)

// reservedEnv are the variables Lambda sets itself and refuses in a function's configuration
// (Lambda developer guide, "Defined runtime environment variables").
func reservedEnv(name string) bool {
	switch name {
	case "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
		"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
		"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
		"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR":
		return true
	}
	return false
}

func functionKeys() keySet {
	info := map[string]string{}
	for _, k := range []string{
		"package", "layers", "role", "tags", "vpc", "reservedConcurrency",
		"provisionedConcurrency", "tracing", "architecture", "kmsKeyArn", "disableLogs",
		"logRetentionInDays", "logDataProtectionPolicy", "maximumEventAge",
		"maximumRetryAttempts", "ephemeralStorageSize", "onError", "destinations", "snapStart",
		"condition", "dependsOn", "runtimeManagement", "fileSystemConfig", "iamRoleStatements",
		"iamRoleStatementsName", "iamRoleStatementsInherit", "versionFunction", "logs",
		"awsKmsKeyArn", "environmentFile",
	} {
		info[k] = deployOnly
	}
	return keySet{
		used: []string{"handler", "runtime", "timeout", "memorySize", "environment", "events", "name", "description", "image", "httpApi"},
		info: info,
		warn: map[string]string{
			"url": "Lambda function URLs are not served by Gatehouse; the function is reachable through its http events only",
		},
	}
}

// functions reads every function's own settings; their events are read by endpoints once the
// resources are known.
func (d *decoder) functions() {
	v, ok := d.root.Get("functions")
	if !ok || v.Kind == KindNull {
		return
	}
	var entries []Field
	switch v.Kind {
	case KindMap:
		entries = v.Map
	case KindList:
		// The Framework merges a list of maps (often ${file(…)} includes).
		seen := map[string]Pos{}
		for i, item := range v.List {
			if !d.wantMap(item, index("functions", i)) {
				continue
			}
			for _, f := range item.Map {
				if first, dup := seen[f.Key]; dup {
					d.rep.errorf(f.KeyPos, ErrInvalid, "functions: %q is defined twice (first at line %d)", f.Key, first.Line)
					continue
				}
				seen[f.Key] = f.KeyPos
				entries = append(entries, f)
			}
		}
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "functions must be a map of functions, not %s", v.describe())
		return
	}
	for _, f := range entries {
		d.function(f)
	}
}

func (d *decoder) function(f Field) {
	path := "functions." + f.Key
	if !functionKeyPattern.MatchString(f.Key) {
		d.rep.errorf(f.KeyPos, ErrInvalid, "%s: function names hold only letters, digits, - and _", path)
		return
	}
	p := d.svc.Provider
	fn := &Function{
		Name:        f.Key,
		Runtime:     p.Runtime,
		Timeout:     p.Timeout,
		MemorySize:  p.MemorySize,
		Environment: copyEnv(p.Environment),
		Pos:         f.KeyPos,
	}
	v := f.Value
	if v.Kind != KindNull && !d.wantMap(v, path) {
		return
	}
	d.checkKeys(v, path, functionKeys(), unknownWarns)
	if h, ok := v.Get("handler"); ok {
		fn.Handler, _ = d.nonEmpty(h, path+".handler")
	}
	if img, ok := v.Get("image"); ok {
		d.rep.warnf(img.Pos, "%s.image: container image functions are not supported by Gatehouse", path)
	}
	if r, ok := v.Get("runtime"); ok {
		fn.Runtime, _ = d.nonEmpty(r, path+".runtime")
	}
	if t, ok := v.Get("timeout"); ok {
		// Lambda allows 1 to 900 seconds.
		if n, ok := d.intRange(t, path+".timeout", 1, 900, " seconds"); ok {
			fn.Timeout = time.Duration(n) * time.Second
		}
	}
	if m, ok := v.Get("memorySize"); ok {
		if n, ok := d.intRange(m, path+".memorySize", 128, 10240, " MB"); ok {
			fn.MemorySize = n
		}
	}
	if e, ok := v.Get("environment"); ok {
		fn.Environment = d.environment(e, path+".environment", fn.Environment)
	}
	if desc, ok := v.Get("description"); ok {
		fn.Description, _ = d.str(desc, path+".description")
	}
	fn.FunctionName = d.svc.Name + "-" + d.svc.Stage + "-" + f.Key // the Framework's default
	if n, ok := v.Get("name"); ok {
		fn.FunctionName, _ = d.nonEmpty(n, path+".name")
	}
	if fn.Handler != "" && fn.Runtime == "" {
		d.rep.warnf(fn.Pos, "%s: no runtime set here or in provider.runtime", path)
	}
	if h, ok := v.Get("httpApi"); ok {
		d.functionHTTPAPI(fn, h, path+".httpApi")
	}
	if ev, ok := v.Get("events"); ok {
		d.events[f.Key] = ev
	}
	d.funcs[f.Key] = fn
	d.fnOrder = append(d.fnOrder, f.Key)
	d.svc.Functions = append(d.svc.Functions, fn)
}

func copyEnv(m map[string]EnvVar) map[string]EnvVar {
	out := make(map[string]EnvVar, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// environment reads an environment block over base (the provider's variables, which the
// function's override).
func (d *decoder) environment(v Value, path string, base map[string]EnvVar) map[string]EnvVar {
	out := copyEnv(base)
	if !d.wantMap(v, path) {
		return out
	}
	for _, f := range v.Map {
		p := join(path, f.Key)
		switch {
		case !envNamePattern.MatchString(f.Key):
			d.rep.errorf(f.KeyPos, ErrInvalid, "%s: Lambda variable names start with a letter and are at least two characters long (letters, digits and _)", p)
			continue
		case reservedEnv(f.Key):
			d.rep.errorf(f.KeyPos, ErrInvalid, "%s: %s is reserved by Lambda", p, f.Key)
			continue
		}
		val := f.Value
		switch val.Kind {
		case KindString, KindInt, KindFloat, KindBool:
			out[f.Key] = EnvVar{Value: val.Str, Pos: val.Pos}
		case KindNull:
			d.rep.warnf(val.Pos, "%s is empty and is left out", p)
			delete(out, f.Key)
		case KindMap:
			if _, _, ok := val.Intrinsic(); ok {
				out[f.Key] = EnvVar{Expr: val, Pos: val.Pos}
				continue
			}
			fallthrough
		default:
			d.rep.errorf(val.Pos, ErrInvalid, "%s must be text or a CloudFormation expression, not %s", p, val.describe())
		}
	}
	return out
}

// eventTypes are the Framework's AWS event types other than http; Gatehouse serves none of
// them, and says so.
func otherEventNote(typ string) (Severity, string, bool) {
	switch typ {
	case "cognitoUserPool":
		return Warning, "Cognito user pool triggers are not run by Gatehouse yet; this event is ignored", true
	case "websocket", "schedule", "sns", "sqs", "stream", "s3", "alexaSkill", "alexaSmartHome",
		"iot", "iotFleetProvisioning", "cloudwatchEvent", "cloudwatchLog", "eventBridge", "alb",
		"msk", "kafka", "activemq", "rabbitmq", "cloudFront":
		return Info, typ + " events are not served by Gatehouse; ignored", true
	}
	return Warning, "", false
}

// endpoints reads the http events of every function.
func (d *decoder) endpoints() {
	for _, name := range d.fnOrder {
		ev, ok := d.events[name]
		if !ok || ev.Kind == KindNull {
			continue
		}
		path := "functions." + name + ".events"
		if ev.Kind != KindList {
			d.rep.errorf(ev.Pos, ErrInvalid, "%s must be a list, not %s", path, ev.describe())
			continue
		}
		for i, item := range ev.List {
			p := index(path, i)
			if item.Kind != KindMap || len(item.Map) == 0 {
				d.rep.errorf(item.Pos, ErrInvalid, "%s must be a map such as {http: …}, not %s", p, item.describe())
				continue
			}
			if len(item.Map) > 1 {
				d.rep.warnf(item.Map[1].KeyPos, "%s: one event per list item; %q is ignored", p, item.Map[1].Key)
			}
			f := item.Map[0]
			if f.Key == "http" {
				if e := d.httpEvent(d.funcs[name], f.Value, join(p, "http")); e != nil {
					d.svc.Endpoints = append(d.svc.Endpoints, e)
					d.epPaths[e] = join(p, "http")
				}
				continue
			}
			if f.Key == "httpApi" {
				if r := d.httpRoute(d.funcs[name], f.Value, join(p, "httpApi")); r != nil {
					d.httpAPI.Routes = append(d.httpAPI.Routes, r)
				}
				continue
			}
			sev, note, known := otherEventNote(f.Key)
			if !known {
				note = "unknown event type, ignored"
			}
			d.rep.diag(sev, f.KeyPos, "%s: %s", join(p, f.Key), note)
		}
	}
}

// functionLogicalID is the logical ID the Framework gives a function's AWS::Lambda::Function
// (lib/plugins/aws/lib/naming.js: getNormalizedFunctionName + "LambdaFunction").
func functionLogicalID(name string) string {
	n := strings.ReplaceAll(strings.ReplaceAll(name, "-", "Dash"), "_", "Underscore")
	if n == "" {
		return "LambdaFunction"
	}
	return strings.ToUpper(n[:1]) + n[1:] + "LambdaFunction"
}

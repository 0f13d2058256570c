package lambda

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Function is the configuration of one Lambda function, as serverless.yml or CreateFunction
// gives it.
type Function struct {
	// Name is the function name (AWS_LAMBDA_FUNCTION_NAME), e.g. "todo-dev-getTasks".
	Name string
	// Runtime is Lambda's runtime identifier: nodejs18.x, nodejs20.x, … (any "nodejs*"),
	// provided, provided.al2, provided.al2023, go1.x.
	Runtime string
	// Handler is _HANDLER: "src/tasks.list" for Node.js (module src/tasks, export list), the
	// executable's path (relative to Dir) for go1.x, free text or an executable's path for
	// provided* runtimes.
	Handler string
	// Dir is the function's code (LAMBDA_TASK_ROOT and the working directory).
	Dir string
	// Timeout is the function timeout; 0 means Lambda's default, 3 s. At most 900 s.
	Timeout time.Duration
	// MemoryMB is AWS_LAMBDA_FUNCTION_MEMORY_SIZE; 0 means Lambda's default, 128. It is not
	// enforced.
	MemoryMB int
	// Env is the function's environment variables, set after Lambda's own; it may set
	// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN to give the function
	// credentials, but not the variables that wire the runtime (see reservedEnv).
	Env map[string]string
	// Concurrency is the most processes (so concurrent invocations) the function gets; 0 means
	// the Manager's default.
	Concurrency int
}

// Lambda's defaults and limits for a function's configuration
// (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
const (
	defaultTimeout  = 3 * time.Second
	maxTimeout      = 900 * time.Second
	defaultMemoryMB = 128
	minMemoryMB     = 128
	maxMemoryMB     = 10240
)

// functionName is the CreateFunction pattern for a bare function name (1–64 characters).
var functionName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// reservedEnv reports whether a function may not set the variable k because it wires the
// runtime to this package; Lambda rejects these too ("reserved keys").
func reservedEnv(k string) bool {
	switch k {
	case "AWS_LAMBDA_RUNTIME_API", "_HANDLER", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR":
		return true
	}
	return false
}

// runtimeKind is how a runtime identifier is run.
type runtimeKind int

const (
	runtimeNode     runtimeKind = iota + 1 // the embedded Node.js bootstrap
	runtimeProvided                        // the function's executable `bootstrap`
	runtimeGo1x                            // the executable named by the handler
)

func kindOf(runtime string) (runtimeKind, bool) {
	switch {
	case strings.HasPrefix(runtime, "nodejs"):
		return runtimeNode, true
	case runtime == "provided" || runtime == "provided.al2" || runtime == "provided.al2023":
		return runtimeProvided, true
	case runtime == "go1.x":
		return runtimeGo1x, true
	}
	return 0, false
}

// normalize checks fn and fills in its defaults; Dir becomes absolute.
func (fn Function) normalize(defaultConcurrency int) (Function, runtimeKind, error) {
	if !functionName.MatchString(fn.Name) {
		return fn, 0, fmt.Errorf("lambda: invalid function name %q: want 1 to 64 letters, digits, - or _", fn.Name)
	}
	kind, ok := kindOf(fn.Runtime)
	if !ok {
		return fn, 0, fmt.Errorf("lambda: function %s: %w %q (supported: nodejs*, provided, provided.al2, provided.al2023, go1.x)",
			fn.Name, ErrUnsupportedRuntime, fn.Runtime)
	}
	if kind == runtimeNode || kind == runtimeGo1x {
		if fn.Handler == "" {
			return fn, 0, fmt.Errorf("lambda: function %s: runtime %s needs a handler", fn.Name, fn.Runtime)
		}
	}
	switch {
	case fn.Timeout == 0:
		fn.Timeout = defaultTimeout
	case fn.Timeout < 0 || fn.Timeout > maxTimeout:
		return fn, 0, fmt.Errorf("lambda: function %s: timeout %v: want 1 to 900 seconds", fn.Name, fn.Timeout)
	}
	switch {
	case fn.MemoryMB == 0:
		fn.MemoryMB = defaultMemoryMB
	case fn.MemoryMB < minMemoryMB || fn.MemoryMB > maxMemoryMB:
		return fn, 0, fmt.Errorf("lambda: function %s: memory size %d MB: want 128 to 10240", fn.Name, fn.MemoryMB)
	}
	switch {
	case fn.Concurrency == 0:
		fn.Concurrency = defaultConcurrency
	case fn.Concurrency < 0:
		return fn, 0, fmt.Errorf("lambda: function %s: negative concurrency %d", fn.Name, fn.Concurrency)
	}
	for _, k := range slices.Sorted(maps.Keys(fn.Env)) {
		if reservedEnv(k) {
			return fn, 0, fmt.Errorf("lambda: function %s: environment variable %s is reserved", fn.Name, k)
		}
	}
	dir, err := filepath.Abs(fn.Dir)
	if err != nil {
		return fn, 0, fmt.Errorf("lambda: function %s: %w", fn.Name, err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return fn, 0, fmt.Errorf("lambda: function %s: code directory: %w", fn.Name, err)
	}
	if !st.IsDir() {
		return fn, 0, fmt.Errorf("lambda: function %s: code directory %s is not a directory", fn.Name, dir)
	}
	fn.Dir = dir
	fn.Env = maps.Clone(fn.Env)
	return fn, kind, nil
}

// equal reports whether two normalized configurations run the same processes.
func (fn Function) equal(o Function) bool {
	return fn.Name == o.Name && fn.Runtime == o.Runtime && fn.Handler == o.Handler && fn.Dir == o.Dir &&
		fn.Timeout == o.Timeout && fn.MemoryMB == o.MemoryMB && fn.Concurrency == o.Concurrency &&
		maps.Equal(fn.Env, o.Env)
}

// executable returns the program a custom runtime runs
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html): provided* runs the
// executable `bootstrap` of the function's code, or the handler when it names an executable;
// go1.x runs the handler.
func (fn Function) executable(kind runtimeKind) (string, error) {
	var candidates []string
	switch kind {
	case runtimeProvided:
		candidates = append(candidates, filepath.Join(fn.Dir, "bootstrap"))
		if fn.Handler != "" {
			candidates = append(candidates, filepath.Join(fn.Dir, fn.Handler))
		}
	case runtimeGo1x:
		candidates = append(candidates, filepath.Join(fn.Dir, fn.Handler))
	}
	for _, c := range candidates {
		st, err := os.Stat(c)
		if err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
			return c, nil
		}
	}
	if kind == runtimeGo1x {
		return "", fmt.Errorf("runtime go1.x: handler %s is not an executable file in %s", fn.Handler, fn.Dir)
	}
	return "", fmt.Errorf("runtime %s: no executable bootstrap in %s", fn.Runtime, fn.Dir)
}

// environ returns the process environment as Lambda defines it
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)
// followed by the function's own variables. Nothing of Gatehouse's environment is passed but
// PATH.
func (fn Function) environ(c *config, runtimeAPI, runtimeDir, logStream string) []string {
	env := make([]string, 0, 20+len(fn.Env))
	add := func(k, v string) { env = append(env, k+"="+v) }
	add("PATH", os.Getenv("PATH"))
	add("LANG", "en_US.UTF-8")
	add("TZ", ":UTC")
	add("AWS_LAMBDA_RUNTIME_API", runtimeAPI)
	add("AWS_LAMBDA_FUNCTION_NAME", fn.Name)
	add("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", strconv.Itoa(fn.MemoryMB))
	add("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
	add("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
	add("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/"+fn.Name)
	add("AWS_LAMBDA_LOG_STREAM_NAME", logStream)
	add("AWS_REGION", c.region)
	add("AWS_DEFAULT_REGION", c.region)
	add("_HANDLER", fn.Handler)
	add("LAMBDA_TASK_ROOT", fn.Dir)
	if runtimeDir != "" {
		add("LAMBDA_RUNTIME_DIR", runtimeDir)
	}
	if strings.HasPrefix(fn.Runtime, "nodejs") {
		add("AWS_EXECUTION_ENV", "AWS_Lambda_"+fn.Runtime)
	}
	for _, k := range slices.Sorted(maps.Keys(fn.Env)) {
		add(k, fn.Env[k])
	}
	return env
}

// arn is the function's ARN (Lambda-Runtime-Invoked-Function-Arn).
func (fn Function) arn(c *config) string {
	return "arn:aws:lambda:" + c.region + ":" + c.account + ":function:" + fn.Name
}

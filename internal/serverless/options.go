package serverless

// Bounds on what one serverless.yml may cost to load. A real project is a few kilobytes; these
// stop a hostile or broken file (deep nesting, "billion laughs" aliases or variables) from
// exhausting memory or time.
const (
	// MaxFileSize is the largest file Load and Parse accept, in bytes.
	MaxFileSize = 4 << 20
	// MaxNesting is the deepest nesting of maps and lists.
	MaxNesting = 64
	// MaxResolvedSize bounds, in bytes, the document once YAML aliases are expanded, and
	// separately the text that ${…} variables add to it.
	MaxResolvedSize = 10 << 20
	// MaxVariableDepth bounds how many ${…} variables may be resolved inside one another
	// (a variable whose value is found through another variable, and so on).
	MaxVariableDepth = 32
)

// DefaultAccountID is the account ${aws:accountId} names when Options.AccountID is empty, the
// account Gatehouse itself reports.
const DefaultAccountID = "000000000000"

// Options are the inputs of variable resolution that do not come from the file: what the
// Serverless Framework reads from its command line and environment.
type Options struct {
	// Stage is --stage: it wins over provider.stage and answers ${opt:stage} and ${sls:stage}.
	Stage string
	// Region is --region: it wins over provider.region and answers ${opt:region}.
	Region string
	// Env answers ${env:NAME}. Nil means no environment at all: the package never reads the
	// process environment by itself (pass os.LookupEnv for that).
	Env func(name string) (string, bool)
	// Params answers ${param:NAME} before the file's params (--param "NAME=value").
	Params map[string]string
	// Flags answers ${opt:NAME} for other command-line options (--NAME value).
	Flags map[string]string
	// AccountID answers ${aws:accountId}; DefaultAccountID when empty.
	AccountID string
}

// MapEnv returns an Options.Env that looks names up in m.
func MapEnv(m map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

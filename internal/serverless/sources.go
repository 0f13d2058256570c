package serverless

import (
	"fmt"
	"strings"
)

// unsupportedSource explains why a variable source cannot be resolved here; "" means the
// source is supported. Gatehouse never runs code, calls AWS or reads files other than the
// serverless.yml, so the Framework's file, ssm, cf, s3 (and plugin) sources are refused.
func unsupportedSource(typ string) string {
	switch typ {
	case "self", "env", "opt", "sls", "param", "aws", "strToBool":
		return ""
	case "file":
		return `variable source "file" is not supported by Gatehouse (it reads no file but the serverless.yml)`
	case "ssm", "cf", "s3", "secretsmanager":
		return fmt.Sprintf("variable source %q is not supported by Gatehouse (it never calls AWS)", typ)
	}
	return fmt.Sprintf("unknown variable source %q", typ)
}

// lookup reads one typed source. ok is false when the source has no value; why then says so.
func (r *resolver) lookup(src varSource, pos Pos) (val Value, ok bool, why string, e *Error) {
	addr, e := r.text(src.address, pos)
	if e != nil {
		return Value{}, false, "", e
	}
	if src.hasParams && src.typ != "strToBool" {
		return Value{}, false, "", r.newErr(pos, ErrVariable, "variable source %q takes no parameters", src.typ)
	}
	switch src.typ {
	case "self":
		var keys []string
		if addr != "" {
			keys = strings.Split(addr, ".")
		}
		val, ok, e := r.self(keys, pos)
		return val, ok, fmt.Sprintf("self:%s has no value in the file", addr), e
	case "env":
		if addr == "" {
			return Value{}, false, "", r.newErr(pos, ErrVariable, "${env:} needs a variable name")
		}
		// The Framework treats an empty variable as unset (process.env[name] || null).
		if r.opts.Env != nil {
			if s, found := r.opts.Env(addr); found && s != "" {
				return literalString(s, pos), true, "", nil
			}
		}
		return Value{}, false, fmt.Sprintf("environment variable %s is not set", addr), nil
	case "opt":
		s := ""
		switch addr {
		case "":
			return Value{}, false, "", r.newErr(pos, ErrVariable, "${opt:} needs an option name")
		case "stage":
			s = r.opts.Stage
		case "region":
			s = r.opts.Region
		default:
			s = r.opts.Flags[addr]
		}
		if s == "" {
			return Value{}, false, fmt.Sprintf("option --%s was not given", addr), nil
		}
		return literalString(s, pos), true, "", nil
	case "sls":
		if addr != "stage" {
			return Value{}, false, "", r.newErr(pos, ErrVariable, "${sls:%s} is not supported (only ${sls:stage})", addr)
		}
		s, e := r.stage(pos)
		return literalString(s, pos), e == nil, "", e
	case "aws":
		switch addr {
		case "region":
			s, e := r.region(pos)
			return literalString(s, pos), e == nil, "", e
		case "accountId":
			id := r.opts.AccountID
			if id == "" {
				id = DefaultAccountID
			}
			return literalString(id, pos), true, "", nil
		}
		return Value{}, false, "", r.newErr(pos, ErrVariable, "${aws:%s} is not supported (only ${aws:region} and ${aws:accountId})", addr)
	case "param":
		return r.param(addr, pos)
	case "strToBool":
		return r.strToBool(src, pos)
	}
	return Value{}, false, "", r.newErr(pos, ErrVariable, "unknown variable source %q", src.typ)
}

// literalString is text from outside the file: never parsed for variables.
func literalString(s string, pos Pos) Value {
	v := stringValue(s, pos)
	v.vars = false
	return v
}

// self returns the resolved value at keys; ok is false when nothing is there.
func (r *resolver) self(keys []string, pos Pos) (Value, bool, *Error) {
	cur := r.root
	resolved := false
	var path []string
	for _, k := range keys {
		if !resolved {
			if m, ok := r.memo[pathKey(path)]; ok && len(path) > 0 {
				cur, resolved = m, true
			} else if cur.Kind == KindString && cur.vars {
				// The container itself comes from a variable: resolve it first.
				v, e := r.resolveAt(path, cur)
				if e != nil {
					return Value{}, false, e
				}
				cur, resolved = v, true
			}
		}
		next, ok := child(cur, k)
		if !ok {
			return Value{}, false, nil
		}
		cur = next
		path = appendPath(path, k)
	}
	if !resolved {
		v, e := r.resolveAt(path, cur)
		if e != nil {
			return Value{}, false, e
		}
		cur = v
	}
	return cur, true, nil
}

// stage is the stage the service runs as: --stage, else provider.stage, else "dev" (the
// Framework's sls source, lib/configuration/variables/sources/instance-dependent/get-sls.js).
func (r *resolver) stage(pos Pos) (string, *Error) {
	if r.opts.Stage != "" {
		return r.opts.Stage, nil
	}
	if !r.stageDone {
		r.stageVal, r.stageErr = r.setting([]string{"provider", "stage"}, "dev", pos)
		r.stageDone = true
	}
	return r.stageVal, r.stageErr
}

// region is --region, else provider.region, else us-east-1.
func (r *resolver) region(pos Pos) (string, *Error) {
	if r.opts.Region != "" {
		return r.opts.Region, nil
	}
	if !r.regionDone {
		r.regionVal, r.regionErr = r.setting([]string{"provider", "region"}, "us-east-1", pos)
		r.regionDone = true
	}
	return r.regionVal, r.regionErr
}

func (r *resolver) setting(keys []string, def string, pos Pos) (string, *Error) {
	v, ok, e := r.self(keys, pos)
	if e != nil {
		return "", e
	}
	if !ok || v.Kind == KindNull {
		return def, nil
	}
	if v.Kind != KindString || v.Str == "" {
		return "", r.newErr(v.Pos, ErrInvalid, "%s must be a non-empty string, not %s", strings.Join(keys, "."), v.describe())
	}
	return v.Str, nil
}

// param reads ${param:name}: --param first, then the stage's params, then the default ones,
// from `params:` (Framework v3) or `stages:` (v4)
// (https://www.serverless.com/framework/docs/guides/parameters).
func (r *resolver) param(name string, pos Pos) (Value, bool, string, *Error) {
	if name == "" {
		return Value{}, false, "", r.newErr(pos, ErrVariable, "${param:} needs a parameter name")
	}
	if s, ok := r.opts.Params[name]; ok {
		return literalString(s, pos), true, "", nil
	}
	stage, e := r.stage(pos)
	if e != nil {
		return Value{}, false, "", e
	}
	for _, keys := range [][]string{
		{"params", stage, name}, {"stages", stage, "params", name},
		{"params", "default", name}, {"stages", "default", "params", name},
	} {
		v, ok, e := r.self(keys, pos)
		if e != nil {
			return Value{}, false, "", e
		}
		if ok && v.Kind != KindNull {
			return v, true, "", nil
		}
	}
	return Value{}, false, fmt.Sprintf("param %q is set neither for stage %q nor by default", name, stage), nil
}

// strToBool turns "true"/"1" and "false"/"0" into booleans
// (lib/configuration/variables/sources/str-to-bool.js).
func (r *resolver) strToBool(src varSource, pos Pos) (Value, bool, string, *Error) {
	if len(src.params) == 0 {
		return Value{}, false, "", r.newErr(pos, ErrVariable, "${strToBool()} needs a value")
	}
	s, e := r.text(src.params[0], pos)
	if e != nil {
		return Value{}, false, "", e
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return scalar(KindBool, "true", pos), true, "", nil
	case "false", "0":
		return scalar(KindBool, "false", pos), true, "", nil
	}
	return Value{}, false, "", r.newErr(pos, ErrVariable, "${strToBool(%s)}: want true, false, 1 or 0", s)
}

import json, gzip, sys, os, botocore, re
svc, ver, pkg, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ops = sys.argv[5].split(",")
m = json.load(gzip.open(os.path.join(os.path.dirname(botocore.__file__), "data", svc, ver, "service-2.json.gz")))
shapes = m["shapes"]
need = []
seen = set()
def visit(name):
    if name in seen: return
    s = shapes[name]
    if s["type"] == "structure":
        seen.add(name); need.append(name)
        for mem in s["members"].values(): visit(mem["shape"])
    elif s["type"] == "list": visit(s["member"]["shape"])
    elif s["type"] == "map": visit(s["key"]["shape"]); visit(s["value"]["shape"])
for op in ops:
    o = m["operations"][op]
    if "input" in o: visit(o["input"]["shape"])
    if "output" in o: visit(o["output"]["shape"])
def gotype(name, top=True):
    s = shapes[name]; t = s["type"]
    if t == "string": return "string"
    if t == "boolean": return "*bool"
    if t in ("integer", "long"): return "*int64"
    if t == "double": return "*float64"
    if t == "timestamp": return "*awsapi.Time"
    if t == "blob": return "[]byte"
    if t == "structure": return "*" + name
    if t == "list":
        inner = gotype(s["member"]["shape"])
        if inner.startswith("*") and shapes[s["member"]["shape"]]["type"] == "structure": inner = inner[1:]
        return "[]" + inner
    if t == "map":
        v = gotype(s["value"]["shape"])
        return "map[string]" + v
    raise Exception(t)
lines = ["// Code generated from AWS's service model (%s %s, botocore) by gentypes; DO NOT EDIT." % (svc, ver), "", "package " + pkg, "", 'import "github.com/gatehouse/gatehouse/internal/awsapi"', "", "var _ awsapi.Time", ""]
for name in sorted(need):
    s = shapes[name]
    if s.get("exception"): continue
    lines.append("// %s is AWS's %s shape." % (name, name))
    lines.append("type %s struct {" % name)
    for mn, mem in s["members"].items():
        lines.append('\t%s %s `json:"%s,omitempty"`' % (mn[0].upper() + mn[1:], gotype(mem["shape"]), mn))
    lines.append("}")
    lines.append("")
open(out, "w").write("\n".join(lines))
print(len(need), "shapes")

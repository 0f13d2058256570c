package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func models(t *testing.T) []*Model {
	t.Helper()
	return []*Model{CognitoIDP(), CognitoIdentity(), IAM(), STS()}
}

// Every operation, with an empty body, names each required member, in model order.
func TestEmptyInputNamesEveryRequiredMember(t *testing.T) {
	for _, m := range models(t) {
		for _, op := range m.Operations() {
			req := m.Required(op)
			var want []string
			for _, r := range req {
				want = append(want, "Value null at '"+lowerFirst(r)+"' failed to satisfy constraint: Member must not be null")
			}
			err := m.Validate(op, []byte(`{}`))
			if len(req) == 0 {
				if err != nil {
					t.Errorf("%s %s: %v", m.Service(), op, err)
				}
				continue
			}
			msg := expectedMessage(want)
			if err == nil || err.Type != m.validationType || err.Message != msg || err.Status != 400 {
				t.Errorf("%s %s:\n got %v\nwant %s", m.Service(), op, err, msg)
			}
		}
	}
}

func expectedMessage(msgs []string) string {
	n := len(msgs)
	head := "1 validation error detected: "
	if n != 1 {
		head = itoa(n) + " validation errors detected: "
	}
	if len(msgs) > maxReported {
		msgs = msgs[:maxReported]
	}
	return head + strings.Join(msgs, "; ")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// For every operation: a body with every required member (at a valid value) passes, and
// leaving out any one of them is exactly one "must not be null" failure.
func TestEachMissingRequiredMember(t *testing.T) {
	checked := 0
	for _, m := range models(t) {
		for _, op := range m.Operations() {
			in := m.ops[op].input
			if in == nil {
				continue // IAM's and STS's operations without parameters
			}
			full, ok := example(in, 0)
			if !ok {
				t.Errorf("%s %s: no generated example (add a candidate to exampleStrings)", m.Service(), op)
				continue
			}
			body, _ := json.Marshal(full)
			if err := m.Validate(op, body); err != nil {
				t.Errorf("%s %s: valid example %s: %v", m.Service(), op, body, err)
				continue
			}
			for _, r := range m.Required(op) {
				obj := full.(map[string]any)
				without := make(map[string]any, len(obj))
				for k, v := range obj {
					if k != r {
						without[k] = v
					}
				}
				body, _ := json.Marshal(without)
				want := "1 validation error detected: Value null at '" + lowerFirst(r) + "' failed to satisfy constraint: Member must not be null"
				err := m.Validate(op, body)
				if err == nil || err.Message != want {
					t.Errorf("%s %s without %s: got %v, want %s", m.Service(), op, r, err, want)
				}
				// JSON null is absent too.
				without[r] = nil
				body, _ = json.Marshal(without)
				if err := m.Validate(op, body); err == nil || err.Message != want {
					t.Errorf("%s %s with %s null: got %v", m.Service(), op, r, err)
				}
				checked++
			}
		}
	}
	if checked < 200 {
		t.Errorf("only %d required members checked", checked)
	}
}

// Package policy implements the IAM policy language for Gatehouse: it parses a policy
// document, compiles it once, and evaluates requests against a set of compiled policies to
// a Decision{Effect, Matched, Reason} (IAM User Guide: "Policy evaluation logic",
// reference_policies_evaluation-logic.html). The gateway's AWS_IAM methods use it with the
// inline policies of the role behind a caller's temporary credentials.
//
// It owns:
//   - the document grammar (reference_policies_grammar.html): Version 2012-10-17 or
//     2008-10-17 (absent reads as 2008-10-17), Id, Statement as one object or a list; Sid,
//     Effect, Action/NotAction, Resource/NotResource, Condition; Principal/NotPrincipal are
//     parsed and kept for trust policies but play no part in evaluation;
//   - refusing what IAM refuses with MalformedPolicyDocument, with a message naming the
//     problem (errors wrap ErrMalformed), and bounding input: MaxPolicyChars (IAM's 10,240
//     characters for a role's inline policies, reference_iam-quotas.html), MaxDocumentBytes
//     and MaxNesting (errors wrap ErrTooLarge or ErrMalformed); on the request side,
//     MaxRequestLength bounds what matching compares, so an evaluation stays cheap;
//   - matching: actions case-insensitively with * and ?
//     (reference_policies_elements_action.html), resource ARNs case-sensitively with * and ?
//     where * may span colons and slashes (reference_policies_elements_resource.html), and
//     NotAction/NotResource as their complements (reference_policies_elements_notaction.html,
//     reference_policies_elements_notresource.html);
//   - the condition operators (reference_policies_elements_condition_operators.html): String*,
//     Numeric*, Date* (ISO 8601 or epoch seconds), Bool, BinaryEquals, IpAddress/NotIpAddress
//     (IPv4 and IPv6, CIDR or one address), Arn*, Null, the …IfExists forms, and the set
//     operators ForAnyValue:/ForAllValues: for multivalued keys with their documented
//     missing-key results (reference_policies_condition-single-vs-multi-valued-context-keys.html);
//     values of one key are OR'ed, keys and operators AND'ed
//     (reference_policies_condition-logic-multiple-context-keys-or-values.html);
//   - policy variables in Resource and condition values of 2012-10-17 documents,
//     ${key}, ${key, 'default'} and the escapes ${*} ${?} ${$}
//     (reference_policies_variables.html): a variable whose key has no single value in the
//     request context makes its entry match nothing;
//   - the request context (Context): case-insensitive keys with one or more values each.
//
// It never reads a store, a clock or the network: the caller supplies the policies and
// every context value, aws:CurrentTime included (Context.SetTime). It never decides who the
// caller is (package sigv4 verifies the signature, package iam finds the role), never
// evaluates Principal, resource-based policies, permissions boundaries, session policies or
// SCPs, and never writes to the client: Reason is for the log. A compiled Policy is
// immutable and safe for concurrent use; the package keeps no package-level mutable state.
package policy

// Package stack provisions the CloudFormation resources of a serverless.yml
// (`resources.Resources`) on this Gatehouse, the way `serverless deploy` has CloudFormation
// create them on AWS, and resolves the template's `resources.Outputs`.
//
// It owns:
//   - the template: which resources Gatehouse creates (Cognito user pools, app clients,
//     groups, users and memberships; identity pools and their role attachments; IAM roles
//     and policies), their dependencies (Ref, Fn::GetAtt, Fn::Sub, DependsOn), Conditions,
//     and the order of creation; a reference to a missing resource or attribute, a reference
//     of the wrong type, or a cycle is an error naming file:line, found before anything is
//     created;
//   - CloudFormation's intrinsic functions and pseudo parameters over the stack's physical
//     resources (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::Equals,
//     Fn::FindInMap, …; AWS::Region, AWS::AccountId, ApiGatewayRestApi);
//   - the stack record (store.Stacks): the same stack and logical ID are the same physical
//     resource across restarts and edits; the diff between the record and the file (create,
//     update in place, replace, delete), the users of a deleted pool exported first;
//   - Outputs and Remove; Hook, which deploys on every load of the API runtime (its
//     Provisioner), keeps the last outputs with ServiceEndpoint in {data}/outputs.json, and
//     prints them as serverless deploy's "Stack Outputs" or as one JSON object.
//
// It never creates anything but through the services the AWS API uses (userpool.Service,
// identitypool.Service, iam.API), so a provisioned pool is exactly a pool made with the AWS
// CLI; it never touches a resource the stack record does not name; it never listens on a
// socket nor parses serverless.yml itself (the serverless package does).
package stack

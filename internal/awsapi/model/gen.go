package model

// The service models are generated from botocore's copies of AWS's models; see ../modelgen.
// Cognito user pools answer validation failures with InvalidParameterException (e.g.
// anomalyco/guide#127, aws/aws-sdk-js#3344); Cognito identity pools with ValidationException
// (getmoto/moto#1979 "verified against AWS", aws-amplify/amplify-swift#2864 shows the headers).

//go:generate go run ../modelgen -in botocore:cognito-idp/2016-04-18 -out cognito-idp.json -validation-exception InvalidParameterException
//go:generate go run ../modelgen -in botocore:cognito-identity/2014-06-30 -out cognito-identity.json -validation-exception ValidationException

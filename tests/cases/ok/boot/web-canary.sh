echo canary

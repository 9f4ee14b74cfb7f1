stack {
  name        = "logging"
  description = "Shared logging for all clusters"
  id          = "5f0c2b9e-7a1d-4c2e-9a53-0c1e8d4b7a11"
  tags        = ["observability"]
}

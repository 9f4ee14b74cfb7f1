stack {
  name        = "monitoring"
  description = "Shared monitoring for all clusters"
  id          = "9b7e4c3a-1f2d-4e8b-a6c5-3d2f1e0b9c88"
  tags        = ["observability"]
  after       = ["/stacks/logging"]
}

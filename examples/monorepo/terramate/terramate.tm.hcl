terramate {
  config {
    git {
      default_branch = "main"
    }
  }
}

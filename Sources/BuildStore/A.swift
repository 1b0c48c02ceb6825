import BuildLog

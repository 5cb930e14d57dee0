process.stderr.write("server: not yet\n");

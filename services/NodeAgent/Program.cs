// Placeholder entry point; the service host is built on shared/Hosting.
return 0;

namespace RnnLab.Cli;

/// <summary>A mistake in the command line: the command prints the message and exits with code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

# Sourced by the benchmarks. private_jar ROOT DIR: copies ROOT's cli/target/jcasync.jar into DIR
# with its class archives, times kept (the JVM uses an archive only for the jar it was made from,
# which it knows by size and modification time), so the copy runs as fast as the jar users get;
# the launcher would rebuild its own jar if sources changed during a run. Prints the copy's path.
private_jar() {
    local archive
    cp -p "$1/cli/target/jcasync.jar" "$2/jcasync.jar"
    for archive in "$1"/cli/target/jcasync-java-*; do
        if [ -e "$archive" ]; then cp -p "$archive" "$2/"; fi
    done
    echo "$2/jcasync.jar"
}

package org.epiloop;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
@SpringBootApplication
public class EpiloopApplication { public static void main(String[] a){ SpringApplication.run(EpiloopApplication.class,a);} }

package org.epiloop.simulator.day;

import java.util.ArrayList;
import java.util.List;

/** A resident account: one phone, its holder and family members. */
final class Account {

  final String phone;
  final List<Person> persons = new ArrayList<>();
  volatile String token;

  Account(String phone) {
    this.phone = phone;
  }
}

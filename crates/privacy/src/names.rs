//! Embedded name pools: common given names and surnames of the nationalities most often met in
//! trafficking cases in Portugal. Used by the synthetic identity generator ([`crate::testkit`]) and
//! by the personal-name heuristic of the guard ([`crate::guard`]).
//!
//! Lists are ordered roughly by frequency. The generator draws given names with Zipf weights
//! (exponent 0.6: the top name has about 10% of its sex and nationality, like Maria or Olena) and
//! surnames with a per-nationality exponent ([`Pool::surname_skew`]), so homonyms occur about as
//! often as in real registers, somewhat more where a 50-name pool stands in for thousands.

/// Name pools of one nationality.
#[derive(Debug)]
pub struct Pool {
    /// Eurostat GEO code.
    pub nationality: &'static str,
    /// Relative share among victims.
    pub weight: u32,
    /// Female given names.
    pub female: &'static [&'static str],
    /// Male given names.
    pub male: &'static [&'static str],
    /// Surnames.
    pub surnames: &'static [&'static str],
    /// Name structure.
    pub style: Style,
    /// Zipf exponent of surname frequencies: high where a few surnames dominate (Silva, Singh),
    /// near zero where surnames are diverse (Ukraine, Nigeria), since a 50-name pool already
    /// over-represents each of them there.
    pub surname_skew: f64,
}

/// How names of a nationality are built.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// Portuguese-speaking: one or two given names, one or two surnames, particles (da, dos, de).
    Lusophone,
    /// One or two given names, one surname.
    Western,
    /// One given name, one surname (South Asian, Ukrainian).
    Simple,
    /// Nepali: given name, often a middle name (Bahadur, Kumari, Prasad), surname.
    Nepali,
    /// Bangladeshi: men often with a `Mohammad`/`Md` prefix.
    Bengali,
    /// Maghrebi: surnames often with an `El` particle.
    Maghrebi,
}

/// Pools per nationality.
#[rustfmt::skip]
pub static POOLS: &[Pool] = &[
    Pool {
        nationality: "PT",
        weight: 14,
        style: Style::Lusophone,
        surname_skew: 0.6,
        female: &[
            "Maria", "Ana", "Joana", "Beatriz", "Mariana", "Inês", "Sofia", "Catarina", "Rita", "Sara",
            "Carolina", "Marta", "Patrícia", "Diana", "Filipa", "Cláudia", "Sandra", "Teresa", "Isabel",
            "Helena", "Luísa", "Margarida", "Carla", "Susana", "Vanessa", "Daniela", "Andreia", "Raquel",
            "Sónia", "Paula", "Cristina", "Fernanda", "Rosa", "Lúcia", "Fátima", "Conceição", "Graça",
            "Leonor", "Matilde", "Bruna",
        ],
        male: &[
            "João", "José", "António", "Manuel", "Francisco", "Pedro", "Luís", "Carlos", "Miguel", "Rui",
            "Paulo", "Tiago", "Diogo", "Ricardo", "Nuno", "Jorge", "Bruno", "Filipe", "Sérgio", "André",
            "Hugo", "Fernando", "Vítor", "Joaquim", "Duarte", "Gonçalo", "Rodrigo", "Martim", "Tomás",
            "Afonso", "Henrique", "Alexandre", "Mário", "Fábio", "Daniel", "Gabriel", "Rafael", "Marco",
            "Artur", "Armando",
        ],
        surnames: &[
            "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Jesus",
            "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Alves", "Almeida", "Ribeiro",
            "Pinto", "Carvalho", "Teixeira", "Moreira", "Correia", "Mendes", "Nunes", "Soares", "Vieira",
            "Monteiro", "Cardoso", "Rocha", "Raposo", "Neves", "Coelho", "Cruz", "Cunha", "Pires", "Ramos",
            "Reis", "Simões", "Antunes", "Matos", "Fonseca", "Machado", "Araújo", "Barbosa", "Tavares",
            "Lourenço", "Castro", "Figueiredo", "Azevedo",
        ],
    },
    Pool {
        nationality: "BR",
        weight: 16,
        style: Style::Lusophone,
        surname_skew: 0.6,
        female: &[
            "Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda", "Patrícia",
            "Aline", "Sandra", "Camila", "Amanda", "Bruna", "Jéssica", "Letícia", "Júlia", "Luciana",
            "Vanessa", "Mariana", "Gabriela", "Vitória", "Larissa", "Beatriz", "Raimunda", "Rafaela",
            "Tatiane", "Débora", "Thaís", "Priscila", "Daniela", "Simone", "Kelly", "Cláudia", "Eliane",
            "Rosângela", "Luana", "Lorena", "Yasmin", "Natália",
        ],
        male: &[
            "José", "João", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas", "Luiz", "Marcos",
            "Luis", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno", "Eduardo", "Felipe", "Raimundo",
            "Rodrigo", "Manoel", "Mateus", "André", "Fernando", "Fábio", "Leonardo", "Gustavo", "Guilherme",
            "Leandro", "Tiago", "Anderson", "Ricardo", "Márcio", "Jorge", "Alexandre", "Roberto", "Sebastião",
            "Edson", "Diego", "Vinícius",
        ],
        surnames: &[
            "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
            "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes",
            "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques",
            "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira", "Araújo",
            "Cavalcanti", "Moura", "Batista", "Monteiro", "Pinheiro", "Correia", "Campos", "Melo", "Reis",
            "Borges", "Azevedo", "Conceição", "Xavier", "Farias",
        ],
    },
    Pool {
        nationality: "RO",
        weight: 10,
        style: Style::Western,
        surname_skew: 0.3,
        female: &[
            "Maria", "Elena", "Ioana", "Ana", "Andreea", "Mihaela", "Cristina", "Alexandra", "Gabriela",
            "Daniela", "Georgiana", "Florentina", "Nicoleta", "Raluca", "Adriana", "Roxana", "Simona",
            "Alina", "Ramona", "Diana", "Loredana", "Larisa", "Bianca", "Denisa", "Claudia", "Oana", "Irina",
            "Camelia", "Mirela", "Violeta", "Valentina", "Luminița", "Rodica", "Ionela", "Corina", "Cătălina",
            "Anca", "Lavinia", "Paula", "Iulia",
        ],
        male: &[
            "Ion", "Andrei", "Alexandru", "Constantin", "Gheorghe", "Mihai", "Ionuț", "Marian", "Florin",
            "Daniel", "Vasile", "Nicolae", "Adrian", "Cristian", "Ștefan", "Dumitru", "Gabriel", "Marius",
            "Bogdan", "Cătălin", "Răzvan", "Sorin", "Costel", "Viorel", "Petru", "Lucian", "Iulian",
            "Valentin", "Cosmin", "Dragoș", "Liviu", "Ovidiu", "Paul", "Radu", "Sebastian", "Silviu", "Emil",
            "Aurel", "Claudiu", "Eugen",
        ],
        surnames: &[
            "Popa", "Popescu", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu",
            "Ionescu", "Rusu", "Mihai", "Munteanu", "Constantin", "Mocanu", "Marin", "Lazăr", "Florea",
            "Dinu", "Ungureanu", "Tudor", "Moldovan", "Neagu", "Barbu", "Cristea", "Vasile", "Ene", "Lungu",
            "Nistor", "Sandu", "Toma", "Stanciu", "Dobre", "Preda", "Dragomir", "Badea", "Oprea", "Zamfir",
            "Ilie", "Diaconu", "Voicu", "Nedelcu", "Căpraru", "Bălan", "Șerban", "Cojocaru", "Manea", "Roman",
            "Lupu",
        ],
    },
    Pool {
        nationality: "IN",
        weight: 12,
        style: Style::Simple,
        surname_skew: 0.7,
        female: &[
            "Priya", "Pooja", "Anjali", "Sunita", "Anita", "Kavita", "Neha", "Deepika", "Sonia", "Rekha",
            "Meena", "Lakshmi", "Geeta", "Savita", "Asha", "Usha", "Manju", "Rani", "Suman", "Jyoti", "Pinky",
            "Renu", "Seema", "Nisha", "Ritu", "Divya", "Kiran", "Shanti", "Radha", "Parvati", "Harpreet",
            "Gurpreet", "Simran", "Mandeep", "Rajwinder", "Kamala", "Sarita", "Poonam", "Neelam", "Shabnam",
        ],
        male: &[
            "Rajesh", "Ramesh", "Suresh", "Mahesh", "Amit", "Sunil", "Anil", "Vijay", "Sanjay", "Rahul",
            "Ravi", "Manoj", "Ajay", "Deepak", "Ashok", "Vinod", "Sandeep", "Gurpreet", "Jaswinder",
            "Manpreet", "Sukhwinder", "Kuldeep", "Harjit", "Balwinder", "Arjun", "Rohit", "Vikram", "Mohan",
            "Ram", "Krishna", "Gopal", "Rakesh", "Mukesh", "Dinesh", "Naresh", "Pawan", "Satish", "Arun",
            "Raj", "Harpreet",
        ],
        surnames: &[
            "Singh", "Kumar", "Sharma", "Patel", "Kaur", "Gupta", "Verma", "Yadav", "Shah", "Das", "Reddy",
            "Rao", "Mishra", "Joshi", "Chauhan", "Thakur", "Jain", "Pandey", "Mehta", "Nair", "Iyer",
            "Pillai", "Menon", "Gill", "Sandhu", "Sidhu", "Dhillon", "Grewal", "Brar", "Bajwa", "Malhotra",
            "Kapoor", "Chopra", "Bhatia", "Saini", "Rana", "Tiwari", "Dubey", "Chaudhary", "Prasad", "Mondal",
            "Ghosh", "Bose", "Sen", "Banerjee", "Chatterjee", "Mukherjee", "Khan", "Ali", "Ahmed",
        ],
    },
    Pool {
        nationality: "NP",
        weight: 10,
        style: Style::Nepali,
        surname_skew: 0.5,
        female: &[
            "Sita", "Gita", "Laxmi", "Maya", "Sarita", "Sunita", "Kamala", "Radha", "Anita", "Sabina",
            "Puja", "Rita", "Bimala", "Sharmila", "Mina", "Parbati", "Durga", "Kalpana", "Sangita", "Manju",
            "Asmita", "Srijana", "Pramila", "Nirmala", "Goma", "Bishnu", "Sabita", "Binita", "Apsara",
            "Rupa", "Samjhana", "Shanti", "Januka", "Tulasi", "Ganga", "Yamuna", "Kopila", "Chandra", "Dipa",
            "Susmita",
        ],
        male: &[
            "Ram", "Hari", "Krishna", "Shyam", "Bishnu", "Gopal", "Rajendra", "Suresh", "Ramesh", "Dipak",
            "Prakash", "Bikash", "Santosh", "Sanjay", "Binod", "Raju", "Kiran", "Sunil", "Anil", "Bijay",
            "Dinesh", "Govinda", "Narayan", "Mohan", "Dil", "Man", "Tek", "Bal", "Padam", "Nabin", "Sagar",
            "Roshan", "Rabin", "Suman", "Sujan", "Nirajan", "Bimal", "Kamal", "Arjun", "Bhim",
        ],
        surnames: &[
            "Thapa", "Gurung", "Tamang", "Magar", "Rai", "Limbu", "Shrestha", "Adhikari", "Sharma", "Karki",
            "Khadka", "Basnet", "Bhandari", "Poudel", "Pokharel", "Ghimire", "Acharya", "Bhattarai", "Dahal",
            "KC", "Shah", "Thakuri", "Yadav", "Chaudhary", "Tharu", "Sherpa", "Lama", "Maharjan", "Bista",
            "Rawal", "Rana", "Subedi", "Neupane", "Regmi", "Koirala", "Gautam", "Aryal", "Joshi", "Pandey",
            "Oli", "Budha", "Rokaya", "Sunuwar", "Nepali", "Bishwakarma", "Pariyar", "Sarki", "Damai", "Kami",
            "Mahato",
        ],
    },
    Pool {
        nationality: "BD",
        weight: 8,
        style: Style::Bengali,
        surname_skew: 0.6,
        female: &[
            "Fatema", "Ayesha", "Nasrin", "Shirin", "Rokeya", "Rahima", "Jahanara", "Salma", "Nazma",
            "Sultana", "Ruma", "Shahnaz", "Taslima", "Shamima", "Hasina", "Momtaz", "Rashida", "Parveen",
            "Kulsum", "Josna", "Rina", "Mariam", "Nusrat", "Tania", "Sabina", "Monira", "Farida", "Hafiza",
            "Khadija", "Amena", "Sharmin", "Sumaiya", "Lipi", "Sathi", "Mitu", "Ruksana", "Rehana", "Jesmin",
            "Laila", "Shapla",
        ],
        male: &[
            "Abdul", "Rahim", "Karim", "Hasan", "Hossain", "Rafiq", "Shafiq", "Jamal", "Kamal", "Nurul",
            "Anwar", "Rashed", "Sohel", "Rubel", "Shahin", "Masud", "Mizanur", "Habibur", "Mostafa", "Abu",
            "Alamgir", "Jahangir", "Babul", "Faruk", "Harun", "Mamun", "Shakil", "Sumon", "Rakib", "Sabbir",
            "Imran", "Arif", "Tanvir", "Nazmul", "Monir", "Selim", "Alam", "Mahmud", "Sirajul", "Aminul",
        ],
        surnames: &[
            "Hossain", "Islam", "Rahman", "Ahmed", "Khan", "Uddin", "Ali", "Akter", "Begum", "Chowdhury",
            "Mia", "Miah", "Sarkar", "Talukder", "Sheikh", "Mollah", "Haque", "Kabir", "Karim", "Alam",
            "Hasan", "Siddique", "Bhuiyan", "Mondal", "Howlader", "Khatun", "Sultana", "Rahaman", "Hoque",
            "Biswas", "Das", "Roy", "Paul", "Saha", "Ghosh", "Dey", "Barua", "Majumder", "Patwary", "Bepari",
            "Matubbar", "Munshi", "Sikder", "Kazi", "Mridha", "Molla", "Pramanik", "Shikder", "Bhuyan",
            "Faruque",
        ],
    },
    Pool {
        nationality: "UA",
        weight: 8,
        style: Style::Simple,
        surname_skew: 0.0,
        female: &[
            "Olena", "Oksana", "Nataliia", "Tetiana", "Iryna", "Svitlana", "Yuliia", "Kateryna", "Maryna",
            "Anna", "Olha", "Liudmyla", "Viktoriia", "Halyna", "Nadiia", "Larysa", "Valentyna", "Alla",
            "Inna", "Yana", "Anastasiia", "Dariia", "Sofiia", "Khrystyna", "Mariia", "Alina", "Vira",
            "Liubov", "Zoriana", "Lesia", "Roksolana", "Uliana", "Oleksandra", "Valeriia", "Diana", "Karyna",
            "Polina", "Veronika", "Ivanna", "Myroslava",
        ],
        male: &[
            "Oleksandr", "Serhii", "Andrii", "Volodymyr", "Mykola", "Ivan", "Vasyl", "Oleh", "Yurii",
            "Viktor", "Dmytro", "Ihor", "Petro", "Taras", "Bohdan", "Roman", "Vitalii", "Vadym", "Maksym",
            "Artem", "Denys", "Mykhailo", "Pavlo", "Ruslan", "Anatolii", "Stepan", "Yaroslav", "Valerii",
            "Oleksii", "Yevhen", "Vladyslav", "Hryhorii", "Fedir", "Kostiantyn", "Anton", "Borys", "Illia",
            "Nazar", "Ostap", "Rostyslav",
        ],
        surnames: &[
            "Melnyk", "Shevchenko", "Boiko", "Kovalenko", "Bondarenko", "Tkachenko", "Kovalchuk",
            "Kravchenko", "Oliinyk", "Shevchuk", "Koval", "Polishchuk", "Bondar", "Tkachuk", "Moroz",
            "Marchenko", "Lysenko", "Rudenko", "Savchenko", "Petrenko", "Klymenko", "Pavlenko", "Kravchuk",
            "Kuzmenko", "Ponomarenko", "Savchuk", "Vasylenko", "Levchenko", "Kharchenko", "Karpenko",
            "Havryliuk", "Zinchenko", "Melnychuk", "Lytvynenko", "Romaniuk", "Ivanenko", "Kozak", "Martyniuk",
            "Pavliuk", "Honcharenko", "Yakovenko", "Kostenko", "Ostapenko", "Semenko", "Symonenko",
            "Sydorenko", "Hrytsenko", "Fedorenko", "Demchenko", "Mazur",
        ],
    },
    Pool {
        nationality: "MA",
        weight: 8,
        style: Style::Maghrebi,
        surname_skew: 0.2,
        female: &[
            "Fatima", "Khadija", "Aicha", "Malika", "Naima", "Zineb", "Meryem", "Hafsa", "Salma", "Nadia",
            "Samira", "Karima", "Latifa", "Rachida", "Hanane", "Siham", "Loubna", "Imane", "Asmae", "Houda",
            "Sanaa", "Nawal", "Btissam", "Ghizlane", "Hayat", "Amina", "Layla", "Soukaina", "Kaoutar",
            "Ikram", "Wafae", "Mouna", "Najat", "Saida", "Zahra", "Hind", "Sara", "Yasmine", "Rajae", "Nora",
        ],
        male: &[
            "Mohamed", "Ahmed", "Youssef", "Said", "Rachid", "Mustapha", "Abdellah", "Hassan", "Hamid",
            "Khalid", "Abdelkader", "Karim", "Omar", "Ali", "Brahim", "Mehdi", "Hicham", "Nabil", "Driss",
            "Adil", "Aziz", "Jamal", "Samir", "Tarik", "Anas", "Hamza", "Ayoub", "Othmane", "Ilyas", "Reda",
            "Yassine", "Zakaria", "Soufiane", "Amine", "Redouane", "Abdelaziz", "Abderrahim", "Noureddine",
            "Mourad", "Fouad",
        ],
        surnames: &[
            "Alaoui", "Bennani", "Idrissi", "Tazi", "Benali", "Amrani", "Berrada", "Fassi", "Chraibi",
            "Lahlou", "Benjelloun", "Kettani", "Sqalli", "Ouazzani", "Bouzidi", "Naciri", "Mansouri", "Hajji",
            "Ziani", "Haddad", "Belhaj", "Cherkaoui", "Zerouali", "Bakkali", "Saidi", "Rami", "Benkirane",
            "Boukhari", "Filali", "Slaoui", "Tahiri", "Kabbaj", "Lamrani", "Bouazza", "Moussaoui", "Jebbari",
            "Ennaji", "Ouali", "Hamdaoui", "Ghazi", "Raji", "Daoudi", "Chakir", "Hakimi", "Belkadi", "Rifai",
            "Sabri", "Ammari", "Kadiri", "Wahbi",
        ],
    },
    Pool {
        nationality: "NG",
        weight: 7,
        style: Style::Western,
        surname_skew: 0.2,
        female: &[
            "Blessing", "Chioma", "Ngozi", "Aisha", "Funmilayo", "Folake", "Adaeze", "Amaka", "Chinwe",
            "Ifeoma", "Nkechi", "Uche", "Yetunde", "Bukola", "Temitope", "Oluwaseun", "Abimbola", "Grace",
            "Joy", "Faith", "Mercy", "Patience", "Gift", "Precious", "Esther", "Comfort", "Happiness",
            "Favour", "Peace", "Chiamaka", "Ebere", "Adaora", "Halima", "Zainab", "Hauwa", "Aminat", "Kemi",
            "Toyin", "Osas", "Omolara",
        ],
        male: &[
            "Chukwuemeka", "Emeka", "Chinedu", "Ikechukwu", "Obinna", "Uchenna", "Olumide", "Babatunde",
            "Adebayo", "Segun", "Tunde", "Femi", "Kunle", "Musa", "Ibrahim", "Abubakar", "Usman", "Sani",
            "Yusuf", "Aliyu", "Godwin", "Samuel", "Daniel", "Emmanuel", "John", "Peter", "Michael", "Joseph",
            "Paul", "Osaro", "Efosa", "Osagie", "Eghosa", "Victor", "Sunday", "Friday", "Monday", "Kingsley",
            "Chidi", "Ifeanyi",
        ],
        surnames: &[
            "Okafor", "Okonkwo", "Eze", "Nwosu", "Okeke", "Obi", "Nwachukwu", "Chukwu", "Okoro", "Onyeka",
            "Adeyemi", "Adebayo", "Ogunleye", "Olawale", "Afolabi", "Oyelaran", "Balogun", "Bello",
            "Abubakar", "Mohammed", "Ibrahim", "Usman", "Musa", "Suleiman", "Danjuma", "Osagie", "Igbinedion",
            "Osaghae", "Ehigiator", "Omoregie", "Idahosa", "Aigbe", "Uwadia", "Iyamu", "Obaseki", "Ogbonna",
            "Nnamdi", "Uzor", "Madu", "Anyanwu", "Ekwueme", "Ugwu", "Okoye", "Agbo", "Akpan", "Etim",
            "Bassey", "Effiong", "Udo", "Edet",
        ],
    },
    Pool {
        nationality: "CV",
        weight: 7,
        style: Style::Lusophone,
        surname_skew: 0.6,
        female: &[
            "Maria", "Ana", "Joana", "Elisa", "Edna", "Ivone", "Celeste", "Dulce", "Lenira", "Neusa",
            "Sandra", "Vanda", "Djenifer", "Kátia", "Jéssica", "Adilsa", "Aline", "Denise", "Eunice",
            "Fátima", "Graça", "Helena", "Ilda", "Jandira", "Lucinda", "Madalena", "Natália", "Odete",
            "Patrícia", "Rosa", "Sónia", "Telma", "Vera", "Zenaida", "Arlinda", "Benvinda", "Crisolita",
            "Domingas", "Evandra", "Filomena",
        ],
        male: &[
            "João", "José", "Manuel", "António", "Carlos", "Pedro", "Paulo", "Jorge", "Mário", "Armando",
            "Adilson", "Edson", "Nelson", "Wilson", "Hélder", "Amílcar", "Emanuel", "Elton", "Ivan", "Kevin",
            "Djalma", "Euclides", "Fernando", "Gilberto", "Herculano", "Ildo", "Jailson", "Leonel", "Márcio",
            "Nilton", "Odair", "Renato", "Silvino", "Valdemar", "Zeferino", "Arlindo", "Baltazar", "Danilson",
            "Evandro", "Ailton",
        ],
        surnames: &[
            "Silva", "Santos", "Fernandes", "Gomes", "Lopes", "Monteiro", "Tavares", "Varela", "Semedo",
            "Moreira", "Cabral", "Fortes", "Andrade", "Barros", "Brito", "Correia", "Delgado", "Évora",
            "Fonseca", "Furtado", "Gonçalves", "Lima", "Livramento", "Mendes", "Pina", "Pires", "Ramos",
            "Rocha", "Sanches", "Soares", "Spencer", "Teixeira", "Vaz", "Veiga", "Duarte", "Almeida",
            "Baptista", "Borges", "Cardoso", "Costa", "Dias", "Ferreira", "Graça", "Leite", "Martins",
            "Medina", "Neves", "Oliveira", "Rodrigues", "Alves",
        ],
    },
];

/// Middle names of the Nepali style: (female, male).
pub static NEPALI_MIDDLE: (&[&str], &[&str]) = (&["Kumari", "Maya", "Devi"], &["Bahadur", "Prasad", "Kumar"]);

/// Spelling variants of the same name across transliterations and registers (first = pool spelling).
#[rustfmt::skip]
pub static VARIANTS: &[&[&str]] = &[
    &["Mohamed", "Mohammed", "Muhammad", "Mohammad", "Mohamad"],
    &["Mohammad", "Md", "Mohammed", "Muhammad"],
    &["Olena", "Elena", "Alena"],
    &["Oksana", "Oxana"],
    &["Nataliia", "Natalia", "Nataliya", "Natalya"],
    &["Tetiana", "Tatiana", "Tetyana", "Tatyana"],
    &["Iryna", "Irina"],
    &["Svitlana", "Svetlana"],
    &["Yuliia", "Yulia", "Iuliia", "Julia"],
    &["Kateryna", "Katerina", "Ekaterina"],
    &["Maryna", "Marina"],
    &["Olha", "Olga"],
    &["Liudmyla", "Lyudmyla", "Ludmila"],
    &["Viktoriia", "Viktoriya", "Victoria"],
    &["Halyna", "Galina", "Halina"],
    &["Nadiia", "Nadia", "Nadiya"],
    &["Oleksandr", "Aleksandr", "Olexandr", "Alexander"],
    &["Serhii", "Sergey", "Serhiy", "Sergii"],
    &["Andrii", "Andriy", "Andrey"],
    &["Volodymyr", "Vladimir"],
    &["Mykola", "Nikolai", "Mikola"],
    &["Yurii", "Yuriy", "Iurii", "Yuri"],
    &["Dmytro", "Dmitro", "Dmitry"],
    &["Ihor", "Igor"],
    &["Mykhailo", "Mikhail", "Mykhaylo"],
    &["Oleh", "Oleg"],
    &["Yevhen", "Evgen", "Yevgeniy"],
    &["Vitalii", "Vitaliy", "Vitaly"],
    &["Oleksii", "Oleksiy", "Aleksey"],
    &["Anastasiia", "Anastasia", "Anastasiya"],
    &["Boiko", "Boyko"],
    &["Oliinyk", "Oleynik", "Oliynyk"],
    &["Havryliuk", "Gavrilyuk", "Havrylyuk"],
    &["Youssef", "Yousef", "Youssouf", "Yusuf"],
    &["Aicha", "Aisha", "Aïcha"],
    &["Mustapha", "Mustafa", "Moustapha"],
    &["Abdellah", "Abdallah", "Abdullah"],
    &["Brahim", "Ibrahim"],
    &["Hicham", "Hisham"],
    &["Driss", "Idriss"],
    &["Tarik", "Tariq"],
    &["Meryem", "Meriem", "Maryam"],
    &["Zineb", "Zainab", "Zaynab"],
    &["Khadija", "Khadidja", "Khadiga"],
    &["Othmane", "Othman", "Outmane"],
    &["Rachid", "Rashid"],
    &["Rachida", "Rashida"],
    &["Said", "Saïd", "Saeed"],
    &["Fatima", "Fatma", "Fatema"],
    &["Fatema", "Fatima", "Fatama"],
    &["Ayesha", "Aisha", "Ayesa"],
    &["Hossain", "Hussain", "Hosen", "Hossen"],
    &["Hasan", "Hassan"],
    &["Rahman", "Rahaman"],
    &["Akter", "Akhter", "Aktar"],
    &["Chowdhury", "Chowdhuri", "Choudhury"],
    &["Uddin", "Udin"],
    &["Mahmud", "Mahmood", "Mahmoud"],
    &["Laxmi", "Lakshmi"],
    &["Parbati", "Parvati"],
    &["Dipak", "Deepak"],
    &["Bijay", "Vijay"],
    &["Poudel", "Paudel", "Poudyal"],
    &["Bishwakarma", "Vishwakarma", "BK"],
    &["Chaudhary", "Chaudhari", "Choudhary"],
    &["Gurpreet", "Gurprit"],
    &["Harpreet", "Harprit"],
    &["Luiz", "Luis"],
    &["Manoel", "Manuel"],
    &["Antônio", "António", "Antonio"],
    &["Antônia", "Antónia"],
    &["Tiago", "Thiago"],
    &["Souza", "Sousa"],
    &["Luísa", "Luiza", "Louisa"],
    &["Sónia", "Sônia", "Sonia"],
    &["Ionuț", "Ionut", "Ionutz"],
    &["Ștefan", "Stefan", "Ştefan"],
    &["Chukwuemeka", "Chukwuemaka", "Emeka"],
    &["Oluwaseun", "Seun"],
];

/// Every given name of every pool (for the name heuristic), in pool order, with duplicates.
pub fn all_given_names() -> impl Iterator<Item = &'static str> {
    POOLS.iter().flat_map(|p| p.female.iter().chain(p.male.iter())).copied()
}

/// Every surname of every pool.
pub fn all_surnames() -> impl Iterator<Item = &'static str> {
    POOLS.iter().flat_map(|p| p.surnames.iter()).copied()
}
